import {
  expireAccessTokens,
  issueAccessToken,
  newMailboxAddress,
  revokeUser,
  setIdentityDown,
} from '../../../../../test/mail-stack/client';
import { imapPort, Profile } from '../../../sync/__tests__/helpers/reading-app';
import { MailError, MailErrorCode } from '../../../errors/mail-error';
import { closeQuietly, ImapTokenSource, openImapConnection } from '../open-connection';
import { parseImapError } from '../parse-imap-error';

/** A token source backed by the identity stand-in, counting refreshes. */
function tokenSource(email: string) {
  const calls = { get: 0, refresh: 0 };
  const source: ImapTokenSource = {
    async get() {
      calls.get++;
      return { accessToken: await issueAccessToken(email), address: email };
    },
    async refresh() {
      calls.refresh++;
      return { accessToken: await issueAccessToken(email), address: email };
    },
  };
  return { source, calls };
}

const endpoint = (profile: Profile) => ({ host: 'localhost', port: imapPort(profile), tls: 'implicit' as const });

describe.each<Profile>(['full', 'outlook'])('openImapConnection against Dovecot (%s profile)', (profile) => {
  it("logs in with XOAUTH2 and reports the profile's capabilities", async () => {
    const email = newMailboxAddress('conn');
    const { source, calls } = tokenSource(email);
    const { client } = await openImapConnection({ endpoint: endpoint(profile), accountId: 1, tokens: source });
    try {
      expect(client.authenticated).toBeTruthy();
      expect(client.capabilities.has('CONDSTORE')).toBe(profile === 'full');
      expect(client.capabilities.has('IDLE')).toBe(true);
      expect(calls).toEqual({ get: 1, refresh: 0 });
    } finally {
      await closeQuietly(client);
    }
  });

  it('a rejected token is refreshed once and the login retried', async () => {
    const email = newMailboxAddress('conn');
    const { calls } = tokenSource(email);
    // The first token is already expired for the server; the refreshed one is good.
    let first = true;
    const source: ImapTokenSource = {
      async get() {
        calls.get++;
        const t = await issueAccessToken(email);
        if (first) {
          first = false;
          await expireAccessTokens(email);
        }
        return { accessToken: t, address: email };
      },
      async refresh() {
        calls.refresh++;
        return { accessToken: await issueAccessToken(email), address: email };
      },
    };
    const { client } = await openImapConnection({ endpoint: endpoint(profile), accountId: 1, tokens: source });
    await closeQuietly(client);
    expect(calls).toEqual({ get: 1, refresh: 1 });
  });

  it('a token the server still rejects after the refresh is classified "auth": the account must be reconnected', async () => {
    const email = newMailboxAddress('conn');
    // Both tokens predate the revocation, as a cached token and a refresh racing a password reset would.
    const stale = [await issueAccessToken(email), await issueAccessToken(email)];
    await revokeUser(email);
    const calls = { refresh: 0 };
    const source: ImapTokenSource = {
      get: async () => ({ accessToken: stale[0], address: email }),
      refresh: async () => {
        calls.refresh++;
        return { accessToken: stale[1], address: email };
      },
    };
    const err = await openImapConnection({ endpoint: endpoint(profile), accountId: 1, tokens: source }).then(
      () => null,
      (e) => e,
    );
    expect(err).not.toBeNull();
    expect(calls.refresh).toBe(1);
    const failure = parseImapError(err);
    expect(failure.kind).toBe('auth');
    expect(failure.error.code).toBe('RECONNECT_REQUIRED');
    expect(failure.error.message).toMatch(/Reconnect the mailbox/);
  });

  it("a refresh that fails (revoked grant) ends the attempt with the token service's verdict", async () => {
    const email = newMailboxAddress('conn');
    const stale = await issueAccessToken(email);
    await revokeUser(email);
    const verdict = new MailError(
      MailErrorCode.RECONNECT_REQUIRED,
      'Reconnect the mailbox to sign in to Microsoft again.',
    );
    const source: ImapTokenSource = {
      get: async () => ({ accessToken: stale, address: email }),
      refresh: async () => {
        throw verdict;
      },
    };
    const err = await openImapConnection({ endpoint: endpoint(profile), accountId: 1, tokens: source }).then(
      () => null,
      (e) => e,
    );
    expect(err).toBe(verdict);
    expect(parseImapError(err).error.code).toBe('RECONNECT_REQUIRED');
  });

  it('Dovecot\'s "[UNAVAILABLE] Temporary authentication failure" (identity down) is transient, with no refresh', async () => {
    const email = newMailboxAddress('conn');
    const { source, calls } = tokenSource(email);
    const token = await issueAccessToken(email);
    await setIdentityDown(true, { email });
    try {
      const err = await openImapConnection({
        endpoint: endpoint(profile),
        accountId: 1,
        tokens: { ...source, get: async () => ({ accessToken: token, address: email }) },
      }).then(
        () => null,
        (e) => e,
      );
      expect(err).not.toBeNull();
      expect(String(err.response ?? err.responseText ?? err.message)).toMatch(
        /Temporary authentication failure|UNAVAILABLE/i,
      );
      expect(parseImapError(err).kind).toBe('transient');
      expect(calls.refresh).toBe(0);
    } finally {
      await setIdentityDown(false, { email });
    }
  });
});

it('a closed port is a transient network failure', async () => {
  const { source } = tokenSource(newMailboxAddress('conn'));
  const err = await openImapConnection({
    endpoint: { host: '127.0.0.1', port: 1, tls: 'implicit' },
    accountId: 1,
    tokens: source,
    client: { connectionTimeout: 3000 },
  }).then(
    () => null,
    (e) => e,
  );
  expect(parseImapError(err)).toMatchObject({ kind: 'transient' });
});
