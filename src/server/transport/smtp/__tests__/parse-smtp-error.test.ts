import { MailError, MailErrorCode } from '../../../errors/mail-error';
import { mailEndpoints, MicrosoftSettings } from '../../../providers/microsoft/settings';
import { parseSmtpError, SmtpFailureKind } from '../parse-smtp-error';

/** Errors shaped as nodemailer's SMTP connection raises them: `code`, `response`, `responseCode`, `command`. */
function smtp(code: string, response: string | undefined, command: string, extra: Record<string, unknown> = {}) {
  const err = new Error(response ? `failed: ${response}` : code) as Error & Record<string, unknown>;
  err.code = code;
  if (response) {
    err.response = response;
    err.responseCode = Number(response.slice(0, 3));
  }
  err.command = command;
  return Object.assign(err, extra);
}

function net(code: string) {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:587`), { code });
}

const cases: Array<[string, unknown, SmtpFailureKind, MailErrorCode, RegExp]> = [
  [
    'Outlook: SMTP AUTH disabled for the tenant',
    smtp(
      'EAUTH',
      '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [DM6PR03CA0071.namprd03.prod.outlook.com 2025-11-21T10:00:00.000Z 08DE1234ABCD5678]',
      'AUTH XOAUTH2',
    ),
    'authDisabled',
    MailErrorCode.ADMIN_CONFIGURATION,
    /SMTP AUTH disabled for it \(535 5\.7\.139\)\. The mail administrator must allow authenticated SMTP/,
  ],
  [
    'Outlook: SMTP AUTH disabled for the mailbox',
    smtp('EAUTH', '535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.', 'AUTH XOAUTH2'),
    'authDisabled',
    MailErrorCode.ADMIN_CONFIGURATION,
    /SMTP AUTH disabled for it/,
  ],
  [
    'Outlook: token refused',
    smtp('EAUTH', '535 5.7.3 Authentication unsuccessful [SN4PR0501CA0054.namprd05.prod.outlook.com]', 'AUTH XOAUTH2'),
    'auth',
    MailErrorCode.RECONNECT_REQUIRED,
    /refused the sign-in.*Reconnect the mailbox/,
  ],
  [
    'Postfix + Dovecot: token refused',
    smtp('EAUTH', '535 5.7.8 Error: authentication failed: ', 'AUTH XOAUTH2'),
    'auth',
    MailErrorCode.RECONNECT_REQUIRED,
    /Reconnect the mailbox/,
  ],
  [
    'Postfix: its SASL backend is down',
    smtp(
      'EAUTH',
      '454 4.7.0 Temporary authentication failure: Connection lost to authentication server',
      'AUTH XOAUTH2',
    ),
    'transient',
    MailErrorCode.TRANSIENT,
    /could not check the sign-in right now/,
  ],
  [
    'Postfix: unknown local recipient',
    smtp(
      'EENVELOPE',
      '550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown in virtual mailbox table',
      'RCPT TO',
      {
        rejected: ['nobody@example.test'],
        rejectedErrors: [
          {
            response:
              '550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown in virtual mailbox table',
          },
        ],
      },
    ),
    'recipients',
    MailErrorCode.INVALID_INPUT,
    /refused the recipient nobody@example\.test: check the address/,
  ],
  [
    'Outlook: recipient not found',
    smtp(
      'EENVELOPE',
      '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
      'RCPT TO',
      {
        rejected: ['a@contoso.com', 'b@contoso.com'],
        rejectedErrors: [
          { response: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup' },
        ],
      },
    ),
    'recipients',
    MailErrorCode.INVALID_INPUT,
    /refused the recipients a@contoso\.com, b@contoso\.com: check the addresses/,
  ],
  [
    'Postfix: relay refused (553)',
    smtp('EENVELOPE', '553 5.7.1 <x@elsewhere.example>: Relay access denied', 'RCPT TO', {
      rejected: ['x@elsewhere.example'],
      rejectedErrors: [{ response: '553 5.7.1 <x@elsewhere.example>: Relay access denied' }],
    }),
    'recipients',
    MailErrorCode.INVALID_INPUT,
    /x@elsewhere\.example/,
  ],
  [
    'Recipient temporarily refused (450)',
    smtp('EENVELOPE', '450 4.2.0 <a@b.example>: Recipient address rejected: Greylisted', 'RCPT TO', {
      rejected: ['a@b.example'],
      rejectedErrors: [{ response: '450 4.2.0 <a@b.example>: Recipient address rejected: Greylisted' }],
    }),
    'transient',
    MailErrorCode.TRANSIENT,
    /right now/,
  ],
  [
    'Postfix: sending as someone else',
    smtp(
      'EENVELOPE',
      '553 5.7.1 <boss@example.test>: Sender address rejected: not owned by user me@example.test',
      'MAIL FROM',
    ),
    'sender',
    MailErrorCode.PROVIDER_ERROR,
    /does not let this mailbox send as its address/,
  ],
  [
    'Outlook: SendAs denied',
    smtp(
      'EMESSAGE',
      '554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception',
      'DATA',
    ),
    'sender',
    MailErrorCode.PROVIDER_ERROR,
    /send-as permission/,
  ],
  [
    'Postfix: message too large',
    smtp('EMESSAGE', '552 5.3.4 Message size exceeds fixed limit', 'DATA'),
    'tooLarge',
    MailErrorCode.INVALID_INPUT,
    /larger than the mail server accepts/,
  ],
  [
    'nodemailer: SIZE extension says too large',
    Object.assign(new Error('Message size larger than allowed 37748736'), { code: 'EMESSAGE', command: 'MAIL FROM' }),
    'tooLarge',
    MailErrorCode.INVALID_INPUT,
    /Remove attachments/,
  ],
  [
    'connection refused (server down)',
    net('ECONNREFUSED'),
    'transient',
    MailErrorCode.TRANSIENT,
    /could not be reached.*stays in the outbox/,
  ],
  [
    'connection timeout',
    smtp('ETIMEDOUT', undefined, 'CONN'),
    'transient',
    MailErrorCode.TRANSIENT,
    /could not be reached/,
  ],
  [
    'connection closed',
    smtp('ECONNECTION', undefined, 'CONN'),
    'transient',
    MailErrorCode.TRANSIENT,
    /could not be reached/,
  ],
  [
    'Outlook: throttled submission',
    smtp('EMESSAGE', '432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded', 'DATA'),
    'transient',
    MailErrorCode.TRANSIENT,
    /asked to try again later.*sender thread limit/,
  ],
  [
    'Outlook: service not available',
    smtp('ECONNECTION', '421 4.3.2 Service not available', 'CONN'),
    'transient',
    MailErrorCode.TRANSIENT,
    /try again later/,
  ],
  [
    'host name wrong',
    Object.assign(new Error('getaddrinfo ENOTFOUND smtp.example.invalid'), { code: 'EDNS' }),
    'permanent',
    MailErrorCode.ADMIN_CONFIGURATION,
    /SMTP host/,
  ],
  [
    'bad certificate',
    Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
    'permanent',
    MailErrorCode.ADMIN_CONFIGURATION,
    /certificate or TLS/,
  ],
  [
    'unknown permanent refusal keeps the server words',
    smtp('EMESSAGE', '550 5.7.520 Access denied, Your organization does not allow external forwarding.', 'DATA'),
    'permanent',
    MailErrorCode.PROVIDER_ERROR,
    /refused the message.*does not allow external forwarding/,
  ],
];

describe('parseSmtpError', () => {
  it("SMTP AUTH switched off: the provider's own instructions, when its endpoint has them", () => {
    const outlook = mailEndpoints({ cloud: 'global', appendSentCopy: false } as MicrosoftSettings).smtp;
    const failure = parseSmtpError(cases[0][1], outlook);
    expect(failure.kind).toBe('authDisabled');
    expect(failure.error.userMessage).toMatch(
      /Microsoft 365 administrator must enable "Authenticated SMTP" for this mailbox/,
    );
  });

  it.each(cases)('%s', (_name, err, kind, code, message) => {
    const failure = parseSmtpError(err);
    expect(failure.kind).toBe(kind);
    expect(failure.error.code).toBe(code);
    expect(failure.error.userMessage).toMatch(message);
  });

  it('names the refused recipients', () => {
    const failure = parseSmtpError(cases[6][1]);
    expect(failure.rejected).toEqual(['a@contoso.com', 'b@contoso.com']);
  });

  it('drops Outlook trace ids from the quoted reply', () => {
    const failure = parseSmtpError(cases[0][1]);
    expect(failure.error.providerCode).toBe('5.7.139');
    expect(parseSmtpError(cases[2][1]).error.message).not.toContain('SN4PR0501CA0054');
  });

  it('keeps a MailError from the token service as it is', () => {
    const e = new MailError(MailErrorCode.RECONNECT_REQUIRED, 'Reconnect.');
    expect(parseSmtpError(e).error).toBe(e);
    expect(parseSmtpError(new MailError(MailErrorCode.TRANSIENT, 'later')).kind).toBe('transient');
  });

  it('never throws, whatever it is given', () => {
    for (const v of [undefined, null, 42, 'text', {}, { code: 5 }, { response: 12 }, Object.create(null)]) {
      expect(() => parseSmtpError(v)).not.toThrow();
      expect(parseSmtpError(v).error).toBeInstanceOf(MailError);
    }
  });
});
