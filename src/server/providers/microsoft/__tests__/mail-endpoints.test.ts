import { mailEndpoints, type MicrosoftSettings } from '../settings';

const settings = (over: Partial<MicrosoftSettings>): MicrosoftSettings =>
  ({
    clientId: null,
    clientSecret: null,
    tenant: 'common',
    cloud: 'global',
    authorityHost: null,
    imapHost: null,
    imapPort: null,
    smtpHost: null,
    smtpPort: null,
    appendSentCopy: false,
    ...over,
  }) as MicrosoftSettings;

describe("Microsoft's mail endpoints", () => {
  it('are the cloud’s hosts, with Exchange Online filing the Sent copy and its sending limit', () => {
    expect(mailEndpoints(settings({})).smtp).toMatchObject({
      host: 'smtp.office365.com',
      port: 587,
      tls: 'starttls',
      savesSentCopy: true,
      messagesPerMinute: 30,
    });
  });

  it('on a custom cloud, take the typed hosts, and the Sent copy from the admin’s setting', () => {
    const custom = mailEndpoints(
      settings({ cloud: 'custom', smtpHost: 'smtp.test', smtpPort: 2525, appendSentCopy: true }),
    );
    expect(custom.smtp).toMatchObject({ host: 'smtp.test', port: 2525, savesSentCopy: false, messagesPerMinute: 30 });
  });
});
