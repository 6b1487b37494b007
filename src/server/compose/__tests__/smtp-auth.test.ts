import type { MockServer } from '@nocobase/test';
import { expireAccessTokens, revokeUser, tokenEndpointCalls } from '../../../../test/mail-stack/client';
import { connectedUser, readFolder, sendingApp, waitFor } from './helpers/sending-app';

describe('SMTP sign-in with XOAUTH2', () => {
  let app: MockServer;
  let a: Awaited<ReturnType<typeof connectedUser>>;
  let b: Awaited<ReturnType<typeof connectedUser>>;

  beforeAll(async () => {
    ({ app } = await sendingApp());
    a = await connectedUser(app, 'alice');
    b = await connectedUser(app, 'bob');
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('a token the server refuses is refreshed once and the send goes through', async () => {
    // The stored token still looks valid to the plugin, but the server now refuses it.
    await expireAccessTokens(a.email);
    const before = await tokenEndpointCalls({ email: a.email, grantType: 'refresh_token' });
    const res = await a.agent
      .resource('mailMessages')
      .send({ values: { accountId: a.accountId, to: b.email, subject: 'After refresh', html: 'x' } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ state: 'sent', attempts: 1 });
    expect((await tokenEndpointCalls({ email: a.email, grantType: 'refresh_token' })) - before).toBe(1);
    await waitFor(async () => (await readFolder(b.email)).some((m) => m.parsed.messageId === res.body.data.messageId), {
      what: 'the message',
    });
  });

  it('a revoked grant: the message waits in the outbox, the reason says to reconnect, and the account asks for it', async () => {
    await revokeUser(a.email);
    await expireAccessTokens(a.email);
    const res = await a.agent
      .resource('mailMessages')
      .send({ values: { accountId: a.accountId, to: b.email, subject: 'After revoke', html: 'x' } });
    expect(res.status).toBe(202);
    expect(res.body.data).toMatchObject({ state: 'failed', failureCode: 'RECONNECT_REQUIRED' });
    expect(res.body.data.failureReason).toMatch(/[Rr]econnect/);
    const account = await a.agent.resource('mailAccounts').get({ filterByTk: a.accountId });
    expect(account.body.data.status).toBe('reconnect_required');
    expect((await readFolder(b.email)).some((m) => m.parsed.subject === 'After revoke')).toBe(false);
  });
});
