import { MailError, MailErrorCode } from '../../../errors/mail-error';
import { parseImapError } from '../parse-imap-error';

/** Shapes imapflow gives a failed command: the tagged response's status, code and text. */
function nope(responseText: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error('Command failed'), { responseStatus: 'NO', responseText, ...extra });
}

describe('parseImapError', () => {
  it.each([
    ['Outlook: NO AUTHENTICATE failed. (no response code)', Object.assign(new Error('Authentication failed'), { authenticationFailed: true, response: 'NO AUTHENTICATE failed.' })],
    ['Dovecot: [AUTHENTICATIONFAILED]', Object.assign(new Error('Authentication failed'), { authenticationFailed: true, serverResponseCode: 'AUTHENTICATIONFAILED', response: 'NO [AUTHENTICATIONFAILED] Authentication failed.' })],
    ['plain NO LOGIN failed', nope('LOGIN failed.')],
  ])('%s → auth, refresh once then reconnect', (_label, err) => {
    const f = parseImapError(err);
    expect(f.kind).toBe('auth');
    expect(f.error.code).toBe(MailErrorCode.RECONNECT_REQUIRED);
    expect(f.error.message).toMatch(/Reconnect the mailbox/);
  });

  it('Dovecot with its token check down ([UNAVAILABLE] Temporary authentication failure) is transient, not the user\'s fault', () => {
    const err = Object.assign(new Error('Authentication failed'), {
      authenticationFailed: true, serverResponseCode: 'UNAVAILABLE', response: 'NO [UNAVAILABLE] Temporary authentication failure. [host:2024-01-01 10:00:00]',
    });
    const f = parseImapError(err);
    expect(f.kind).toBe('transient');
    expect(f.error.code).toBe(MailErrorCode.TRANSIENT);
  });

  it('Outlook throttling waits as long as the server suggests', () => {
    const text = 'Request is throttled. Suggested Backoff Time: 92415 milliseconds';
    expect(parseImapError(Object.assign(new Error(text), { code: 'ETHROTTLE', throttleReset: 92415, responseStatus: 'BAD', responseText: text })))
      .toMatchObject({ kind: 'throttled', retryAfterMs: 92415 });
    // Without imapflow's parsed hint, the wording alone still gives the delay.
    expect(parseImapError(Object.assign(new Error('x'), { responseStatus: 'BAD', responseText: text }))).toMatchObject({ kind: 'throttled', retryAfterMs: 92415 });
  });

  it('Outlook\'s "User is authenticated but not connected" backs off instead of failing the account', () => {
    const f = parseImapError(nope('User is authenticated but not connected.'));
    expect(f.kind).toBe('throttled');
    expect(f.retryAfterMs).toBeGreaterThanOrEqual(30_000);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'NoConnection', 'EConnectionClosed', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'ParserError11'])(
    'network failure %s → transient', (code) => {
      expect(parseImapError(Object.assign(new Error(`connect ${code} 127.0.0.1:993`), { code }))).toMatchObject({ kind: 'transient' });
    });

  it('a certificate the server cannot prove is the admin\'s problem, not retried forever', () => {
    const f = parseImapError(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }));
    expect(f.kind).toBe('permanent');
    expect(f.error.code).toBe(MailErrorCode.ADMIN_CONFIGURATION);
  });

  it('a folder deleted elsewhere is reported as missing', () => {
    expect(parseImapError(nope('Mailbox doesn\'t exist: Projects', { serverResponseCode: 'NONEXISTENT', mailboxMissing: true })).kind).toBe('mailboxMissing');
  });

  it('an unknown refusal is permanent and keeps the server\'s words, without a stack trace', () => {
    const f = parseImapError(nope('[CANNOT] Operation not allowed'));
    expect(f.kind).toBe('permanent');
    expect(f.error.message).toContain('Operation not allowed');
    expect(f.error.message).not.toMatch(/\bat .*\.js/);
  });

  it('keeps the code of errors the token service already classified', () => {
    const e = new MailError(MailErrorCode.RECONNECT_REQUIRED, 'Reconnect.');
    expect(parseImapError(e)).toMatchObject({ kind: 'permanent', error: e });
    expect(parseImapError(new MailError(MailErrorCode.TRANSIENT, 'later')).kind).toBe('transient');
  });

  it('never throws, whatever it is given', () => {
    const hostile = { get code() { throw new Error('trap'); } };
    for (const input of [undefined, null, 42, 'boom', {}, hostile]) {
      expect(() => parseImapError(input)).not.toThrow();
      expect(parseImapError(input).error).toBeInstanceOf(MailError);
    }
  });
});
