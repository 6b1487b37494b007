import type { MockServer } from '@nocobase/test';
import { MailAccountStatus } from '../../../shared/constants';
import {
  Agent,
  configureStandIn,
  connectMailbox,
  createMailApp,
  pageMessage,
  userAgent,
} from '../../../../test/helpers/mail-app';
import {
  failNextTokenRequest,
  newMailboxAddress,
  revokeUser,
  setIdentityDown,
  tokenEndpointCalls,
} from '../../../../test/helpers/stand-in';
import type PluginEmailManagerServer from '../../plugin';
import { createMailServices } from '../../services';
import { microsoftProvider } from '../../providers/microsoft';

describe('TokenService against the identity stand-in', () => {
  let app: MockServer;
  let plugin: PluginEmailManagerServer;

  beforeAll(async () => {
    ({ app, plugin } = await createMailApp());
    await configureStandIn(app, (await userAgent(app, 'admin')).agent);
  });

  afterAll(async () => {
    await app?.destroy();
  });

  const accounts = () => app.db.getRepository('mailAccounts');

  async function connected(): Promise<{ agent: Agent; email: string; id: number }> {
    const { agent } = await userAgent(app);
    const email = newMailboxAddress('tok');
    const { accountId } = pageMessage((await connectMailbox(agent, email)).callback.text);
    return { agent, email, id: accountId as number };
  }

  /** MSAL's serialised cache: kinds (AccessToken, RefreshToken…) mapping keys to entries. */
  type SerializedCache = Record<string, Record<string, Record<string, string>>>;

  async function storedCache(id: number): Promise<SerializedCache> {
    const row = await accounts().findOne({ filterByTk: id });
    return JSON.parse(await app.aesEncryptor.decrypt(row.get('tokenCache')));
  }

  async function storedRefreshToken(id: number): Promise<string> {
    const rts = Object.values((await storedCache(id)).RefreshToken);
    expect(rts).toHaveLength(1);
    return rts[0].secret;
  }

  /** Lets the stored access token's lifetime run out, in MSAL's cache and in the row, as an hour passing would. */
  async function expireStoredAccessToken(id: number) {
    const cache = await storedCache(id);
    const past = String(Math.floor(Date.now() / 1000) - 60);
    for (const at of Object.values(cache.AccessToken)) {
      at.expires_on = past;
      at.extended_expires_on = past;
    }
    await accounts().update({
      filterByTk: id,
      values: {
        tokenCache: await app.aesEncryptor.encrypt(JSON.stringify(cache)),
        accessTokenExpiresAt: new Date(Number(past) * 1000),
      },
    });
  }

  const refreshCalls = (email: string) => tokenEndpointCalls({ email, grantType: 'refresh_token' });

  it('serves a fresh token from the stored cache without calling Microsoft', async () => {
    const { email, id } = await connected();
    const before = await refreshCalls(email);
    const token = await plugin.tokens.getAccessToken(id);
    expect(token.address).toBe(email);
    expect(token.accessToken.split('.')).toHaveLength(3);
    expect(token.expiresOn.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(await refreshCalls(email)).toBe(before);
  });

  it('does not go to the network for a cached token: the tenant metadata is reused, not fetched per call', async () => {
    const { id } = await connected();
    const fetchSpy = jest.spyOn(globalThis, 'fetch');
    try {
      for (let i = 0; i < 5; i++) await plugin.tokens.getAccessToken(id);
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
  });

  it('refreshes an expired token silently and stores the rotated refresh token', async () => {
    const { email, id } = await connected();
    const old = await plugin.tokens.getAccessToken(id);
    const oldRefreshToken = await storedRefreshToken(id);
    await expireStoredAccessToken(id);

    const before = await refreshCalls(email);
    const fresh = await plugin.tokens.getAccessToken({ id });
    expect(await refreshCalls(email)).toBe(before + 1);
    expect(fresh.accessToken).not.toBe(old.accessToken);
    expect(fresh.expiresOn.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(await storedRefreshToken(id)).not.toBe(oldRefreshToken);

    const row = await accounts().findOne({ filterByTk: id });
    expect(row.get('status')).toBe(MailAccountStatus.connected);
    expect(new Date(row.get('lastTokenRefreshAt')).getTime()).toBeGreaterThan(Date.now() - 10_000);
    // Next call: served from the new cache.
    expect((await plugin.tokens.getAccessToken(id)).accessToken).toBe(fresh.accessToken);
    expect(await refreshCalls(email)).toBe(before + 1);
  });

  it('50 concurrent calls on an expired token make exactly one token-endpoint call', async () => {
    const { email, id } = await connected();
    const oldRefreshToken = await storedRefreshToken(id);
    await expireStoredAccessToken(id);
    const before = await refreshCalls(email);

    const results = await Promise.all(Array.from({ length: 50 }, () => plugin.tokens.getAccessToken(id)));

    expect(await refreshCalls(email)).toBe(before + 1);
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
    expect(await storedRefreshToken(id)).not.toBe(oldRefreshToken);
  });

  it('two nodes refreshing the same account at once make one call: the second re-reads inside the lock', async () => {
    const { email, id } = await connected();
    await expireStoredAccessToken(id);
    const before = await refreshCalls(email);
    // A second node: its own in-process state, the same database and lock manager.
    const otherNode = createMailServices(app);
    otherNode.providers.register(microsoftProvider);

    const results = await Promise.all([
      ...Array.from({ length: 25 }, () => plugin.tokens.getAccessToken(id)),
      ...Array.from({ length: 25 }, () => otherNode.tokens.getAccessToken(id)),
    ]);

    expect(await refreshCalls(email)).toBe(before + 1);
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
  });

  it('a revoked grant turns the account reconnect_required with a readable reason, and a reconnect heals it', async () => {
    const { agent, email, id } = await connected();
    await revokeUser(email);
    await expireStoredAccessToken(id);

    await expect(plugin.tokens.getAccessToken(id)).rejects.toMatchObject({
      code: 'RECONNECT_REQUIRED',
      message: expect.stringMatching(/revoked.*Reconnect/),
    });
    const seen = (await agent.resource('mailAccounts').get({ filterByTk: id })).body.data;
    expect(seen).toMatchObject({
      status: MailAccountStatus.reconnectRequired,
      statusReason: expect.stringMatching(/Microsoft revoked the sign-in.*Reconnect the mailbox/),
    });

    // Known dead: later calls fail fast instead of asking Microsoft again.
    const calls = await refreshCalls(email);
    await expect(plugin.tokens.getAccessToken(id)).rejects.toMatchObject({ code: 'RECONNECT_REQUIRED' });
    expect(await refreshCalls(email)).toBe(calls);

    const { callback } = await connectMailbox(agent, email);
    expect(pageMessage(callback.text)).toMatchObject({ ok: true, accountId: id });
    expect((await agent.resource('mailAccounts').get({ filterByTk: id })).body.data).toMatchObject({
      status: MailAccountStatus.connected,
      statusReason: null,
    });
    await expireStoredAccessToken(id);
    await expect(plugin.tokens.getAccessToken(id)).resolves.toMatchObject({ address: email });
  });

  it('a rejected client secret marks the account error, tells the user to ask the admin, and heals on success', async () => {
    const { agent, email, id } = await connected();
    await expireStoredAccessToken(id);
    await failNextTokenRequest({
      error: 'invalid_client',
      description:
        'AADSTS7000222: The provided client secret keys for app are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret.',
      status: 401,
      match: { email, grantType: 'refresh_token' },
    });

    await expect(plugin.tokens.getAccessToken(id)).rejects.toMatchObject({
      code: 'ADMIN_CONFIGURATION',
      owner: 'admin',
    });
    const seen = (await agent.resource('mailAccounts').get({ filterByTk: id })).body.data;
    expect(seen.status).toBe(MailAccountStatus.error);
    expect(seen.statusReason).toMatch(/client secret has expired.*Ask your administrator/);

    await plugin.tokens.getAccessToken(id);
    expect((await agent.resource('mailAccounts').get({ filterByTk: id })).body.data).toMatchObject({
      status: MailAccountStatus.connected,
      statusReason: null,
    });
  });

  it('a 503 from Microsoft is transient: thrown for a retry, the account stays connected', async () => {
    const { email, id } = await connected();
    await expireStoredAccessToken(id);
    await failNextTokenRequest({
      error: 'temporarily_unavailable',
      description:
        'AADSTS50196: The server terminated an operation because it encountered a client request loop. Please try again later.',
      status: 503,
      match: { email, grantType: 'refresh_token' },
    });

    await expect(plugin.tokens.getAccessToken(id)).rejects.toMatchObject({ code: 'TRANSIENT' });
    expect((await accounts().findOne({ filterByTk: id })).get('status')).toBe(MailAccountStatus.connected);
    await expect(plugin.tokens.getAccessToken(id)).resolves.toMatchObject({ address: email });
  });

  it('invalidate refreshes a token a server rejected, but not one someone already replaced', async () => {
    const { email, id } = await connected();
    const first = await plugin.tokens.getAccessToken(id);
    const before = await refreshCalls(email);

    const second = await plugin.tokens.invalidate(id, first.accessToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(await refreshCalls(email)).toBe(before + 1);

    // A late caller still holding the first token: the stored one is already newer.
    const third = await plugin.tokens.invalidate(id, first.accessToken);
    expect(third.accessToken).toBe(second.accessToken);
    expect(await refreshCalls(email)).toBe(before + 1);
  });

  it('a token endpoint that accepts the request and never answers fails within the timeout, clearly, and frees the account', async () => {
    const { email, id } = await connected();
    await expireStoredAccessToken(id);
    process.env.MAIL_TOKEN_REQUEST_TIMEOUT_MS = '1500';
    await setIdentityDown(true, { email, hang: true });
    try {
      await expect(plugin.tokens.getAccessToken(id)).rejects.toMatchObject({
        code: 'TRANSIENT',
        message: expect.stringMatching(/did not answer within 1\.5 seconds/),
      });
      expect((await accounts().findOne({ filterByTk: id })).get('status')).toBe(MailAccountStatus.connected);
    } finally {
      await setIdentityDown(false, { email });
      delete process.env.MAIL_TOKEN_REQUEST_TIMEOUT_MS;
    }
    // The account's lock was released: the next refresh runs at once.
    expect((await plugin.tokens.getAccessToken(id)).address).toBe(email);
  });

  it('a missing account is NOT_FOUND', async () => {
    await expect(plugin.tokens.getAccessToken(987654)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
