import { MailError, MailErrorCode } from '../../../errors/mail-error';
import { parseImapError } from '../parse-imap-error';

/** Shapes imapflow gives a failed command: the tagged response's status, code and text. */
function nope(responseText: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error('Command failed'), { responseStatus: 'NO', responseText, ...extra });
}

describe('parseImapError', () => {
  it.each([
    [
      'Outlook: NO AUTHENTICATE failed. (no response code)',
      Object.assign(new Error('Authentication failed'), {
        authenticationFailed: true,
        response: 'NO AUTHENTICATE failed.',
      }),
    ],
    [
      'Dovecot: [AUTHENTICATIONFAILED]',
      Object.assign(new Error('Authentication failed'), {
        authenticationFailed: true,
        serverResponseCode: 'AUTHENTICATIONFAILED',
        response: 'NO [AUTHENTICATIONFAILED] Authentication failed.',
      }),
    ],
    ['plain NO LOGIN failed', nope('LOGIN failed.')],
  ])('%s → auth, refresh once then reconnect', (_label, err) => {
    const f = parseImapError(err);
    expect(f.kind).toBe('auth');
    expect(f.error.code).toBe(MailErrorCode.RECONNECT_REQUIRED);
    expect(f.error.message).toMatch(/Reconnect the mailbox/);
  });

  it("Dovecot with its token check down ([UNAVAILABLE] Temporary authentication failure) is transient, not the user's fault", () => {
    const err = Object.assign(new Error('Authentication failed'), {
      authenticationFailed: true,
      serverResponseCode: 'UNAVAILABLE',
      response: 'NO [UNAVAILABLE] Temporary authentication failure. [host:2024-01-01 10:00:00]',
    });
    const f = parseImapError(err);
    expect(f.kind).toBe('transient');
    expect(f.error.code).toBe(MailErrorCode.TRANSIENT);
  });

  it('Outlook throttling waits as long as the server suggests', () => {
    const text = 'Request is throttled. Suggested Backoff Time: 92415 milliseconds';
    expect(
      parseImapError(
        Object.assign(new Error(text), {
          code: 'ETHROTTLE',
          throttleReset: 92415,
          responseStatus: 'BAD',
          responseText: text,
        }),
      ),
    ).toMatchObject({ kind: 'throttled', retryAfterMs: 92415 });
    // Without imapflow's parsed hint, the wording alone still gives the delay.
    expect(parseImapError(Object.assign(new Error('x'), { responseStatus: 'BAD', responseText: text }))).toMatchObject({
      kind: 'throttled',
      retryAfterMs: 92415,
    });
  });

  it('Outlook\'s "User is authenticated but not connected" backs off instead of failing the account', () => {
    const f = parseImapError(nope('User is authenticated but not connected.'));
    expect(f.kind).toBe('throttled');
    expect(f.retryAfterMs).toBeGreaterThanOrEqual(30_000);
  });

  it.each([
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    'NoConnection',
    'EConnectionClosed',
    'CONNECT_TIMEOUT',
    'GREETING_TIMEOUT',
    'ParserError11',
  ])('network failure %s → transient', (code) => {
    expect(parseImapError(Object.assign(new Error(`connect ${code} 127.0.0.1:993`), { code }))).toMatchObject({
      kind: 'transient',
    });
  });

  it("a certificate the server cannot prove is the admin's problem, not retried forever", () => {
    const f = parseImapError(
      Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
    );
    expect(f.kind).toBe('permanent');
    expect(f.error.code).toBe(MailErrorCode.ADMIN_CONFIGURATION);
  });

  it('a folder deleted elsewhere is reported as missing', () => {
    expect(
      parseImapError(
        nope("Mailbox doesn't exist: Projects", { serverResponseCode: 'NONEXISTENT', mailboxMissing: true }),
      ).kind,
    ).toBe('mailboxMissing');
  });

  // Outlook's and Dovecot's real answers to a sync's commands. A refusal stops the account only when a person must act.
  it.each([
    ['Outlook: NO Server Unavailable. 15 (mailbox backend moving)', nope('Server Unavailable. 15')],
    ['Outlook: NO Server Unavailable. 21', nope('Server Unavailable. 21')],
    [
      'Outlook: BAD Command Error. 10',
      Object.assign(new Error('Command failed'), { responseStatus: 'BAD', responseText: 'Command Error. 10' }),
    ],
    ['RFC 5530: NO [UNAVAILABLE] in the text only', nope('[UNAVAILABLE] Backend temporarily unavailable')],
    [
      'RFC 5530: NO [LIMIT] Too many concurrent sessions',
      nope('Too many concurrent sessions', { serverResponseCode: 'LIMIT' }),
    ],
    [
      'RFC 5530: NO [INUSE] Mailbox is locked by another process',
      nope('Mailbox is locked by another process', { serverResponseCode: 'INUSE' }),
    ],
    [
      'Dovecot: NO [SERVERBUG] Internal error occurred',
      nope('Internal error occurred. Refer to server log for more information. [2026-12-05 18:00:00]', {
        serverResponseCode: 'SERVERBUG',
      }),
    ],
    ['an unknown code: NO [CANNOT] Operation not allowed', nope('[CANNOT] Operation not allowed')],
    ['no words at all: NO', Object.assign(new Error('Command failed'), { responseStatus: 'NO' })],
  ])('%s → retried with backoff, not permanent', (_label, err) => {
    const f = parseImapError(err);
    expect(f.kind).toBe('transient');
    expect(f.error.code).toBe(MailErrorCode.TRANSIENT);
    expect(f.error.message).not.toMatch(/\bat .*\.js/);
  });

  it("keeps the server's words in the message of a retried refusal", () => {
    expect(parseImapError(nope('Server Unavailable. 15')).error.message).toContain('Server Unavailable. 15');
  });

  it.each([
    [
      'Dovecot: NO [NOPERM] Permission denied',
      nope('Permission denied', { serverResponseCode: 'NOPERM' }),
      MailErrorCode.PROVIDER_ERROR,
    ],
    ['NO [NOPERM] in the text only', nope('[NOPERM] You may not read this folder'), MailErrorCode.PROVIDER_ERROR],
    [
      'NO [OVERQUOTA] Quota exceeded',
      nope('[OVERQUOTA] Quota exceeded (mailbox for user is full)'),
      MailErrorCode.PROVIDER_ERROR,
    ],
    [
      'NO [CONTACTADMIN] Account disabled',
      nope('Account disabled', { serverResponseCode: 'CONTACTADMIN' }),
      MailErrorCode.ADMIN_CONFIGURATION,
    ],
  ])('%s → permanent: a person must act', (_label, err, code) => {
    const f = parseImapError(err);
    expect(f.kind).toBe('permanent');
    expect(f.error.code).toBe(code);
  });

  it.each([
    ['Dovecot: NO [NOPERM] Permission denied', nope('Permission denied', { serverResponseCode: 'NOPERM' }), true],
    ['NO [NOPERM] in the text only', nope('[NOPERM] You may not read this folder'), true],
    ['NO [OVERQUOTA] Quota exceeded', nope('[OVERQUOTA] Quota exceeded'), false],
    ['NO [CONTACTADMIN] Account disabled', nope('Account disabled', { serverResponseCode: 'CONTACTADMIN' }), false],
    ['NO Server Unavailable. 15', nope('Server Unavailable. 15'), false],
  ])('%s → concerns only the folder named: %s', (_label, err, folderOnly) => {
    expect(parseImapError(err).folderOnly === true).toBe(folderOnly);
  });

  it('an expired password or account (NO [EXPIRED]) asks for a new sign-in', () => {
    expect(parseImapError(nope('Password expired', { serverResponseCode: 'EXPIRED' })).kind).toBe('auth');
  });

  it('keeps the code of errors the token service already classified', () => {
    const e = new MailError(MailErrorCode.RECONNECT_REQUIRED, 'Reconnect.');
    expect(parseImapError(e)).toMatchObject({ kind: 'permanent', error: e });
    expect(parseImapError(new MailError(MailErrorCode.TRANSIENT, 'later')).kind).toBe('transient');
  });

  it('never throws, whatever it is given', () => {
    const hostile = {
      get code() {
        throw new Error('trap');
      },
    };
    for (const input of [undefined, null, 42, 'boom', {}, hostile]) {
      expect(() => parseImapError(input)).not.toThrow();
      expect(parseImapError(input).error).toBeInstanceOf(MailError);
    }
  });
});
