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
import { newMailboxAddress } from '../../../../test/helpers/stand-in';
import type PluginEmailManagerServer from '../../plugin';

describe('mailAccounts: connecting Outlook as a user', () => {
  let app: MockServer;
  let plugin: PluginEmailManagerServer;
  let admin: Agent;

  beforeAll(async () => {
    ({ app, plugin } = await createMailApp());
    admin = (await userAgent(app, 'admin')).agent;
    await configureStandIn(app, admin);
  });

  afterAll(async () => {
    await app?.destroy();
  });

  const accountsRepo = () => app.db.getRepository('mailAccounts');

  it('connect → sign-in → callback creates a connected account with the signed-in address', async () => {
    const { agent } = await userAgent(app);
    const email = newMailboxAddress('alice');
    const { start, callback } = await connectMailbox(agent, email);

    expect(start.body.data).toEqual({
      authorizeUrl: expect.stringMatching(/^https:\/\/localhost:\d+\/common\/oauth2\/v2\.0\/authorize\?/),
    });
    const authorize = new URL(start.body.data.authorizeUrl);
    // Outlook resource scopes (full names), PKCE and a random state: what Outlook IMAP/SMTP and RFC 7636 need.
    expect(authorize.searchParams.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining([
        'https://outlook.office.com/IMAP.AccessAsUser.All',
        'https://outlook.office.com/SMTP.Send',
        'offline_access',
        'openid',
        'email',
      ]),
    );
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect(callback.status).toBe(200);
    expect(callback.headers['content-type']).toMatch(/text\/html/);
    const message = pageMessage(callback.text);
    expect(message).toMatchObject({ type: 'mailbridge:oauth-result', ok: true });

    const list = await agent.resource('mailAccounts').list();
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([
      expect.objectContaining({
        id: message.accountId,
        provider: 'microsoft',
        address: email,
        status: MailAccountStatus.connected,
        statusReason: null,
      }),
    ]);
    expect(list.body.data[0].connectedAt).toBeTruthy();
    expect(list.body.data[0].displayName).toBeTruthy();
  });

  it('reconnecting the same mailbox updates the account instead of adding a second one', async () => {
    const { user, agent } = await userAgent(app);
    const email = newMailboxAddress('bob');
    const first = pageMessage((await connectMailbox(agent, email)).callback.text);
    const second = pageMessage((await connectMailbox(agent, email.toUpperCase())).callback.text);

    expect(second).toMatchObject({ ok: true, accountId: first.accountId });
    expect(await accountsRepo().count({ filter: { userId: user.id } })).toBe(1);
  });

  it('a user can connect several different mailboxes', async () => {
    const { agent } = await userAgent(app);
    await connectMailbox(agent, newMailboxAddress('one'));
    await connectMailbox(agent, newMailboxAddress('two'));
    expect((await agent.resource('mailAccounts').list()).body.data).toHaveLength(2);
  });

  it('gets one of my accounts by id, without any token field', async () => {
    const { agent } = await userAgent(app);
    const email = newMailboxAddress('carol');
    const { accountId } = pageMessage((await connectMailbox(agent, email)).callback.text);
    const res = await agent.resource('mailAccounts').get({ filterByTk: accountId });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.data).sort()).toEqual([
      'address',
      'connectedAt',
      'createdAt',
      'displayName',
      'effectiveSharingLevel',
      'id',
      'lastTokenRefreshAt',
      'provider',
      'sharingLevel',
      'status',
      'statusReason',
      'updatedAt',
    ]);
  });

  describe('a second user', () => {
    let ownerAgent: Agent;
    let other: Agent;
    let accountId: number;

    beforeAll(async () => {
      ownerAgent = (await userAgent(app)).agent;
      other = (await userAgent(app)).agent;
      accountId = pageMessage((await connectMailbox(ownerAgent, newMailboxAddress('owner'))).callback.text)
        .accountId as number;
    });

    it("does not see the first user's accounts in the list", async () => {
      const res = await other.resource('mailAccounts').list();
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([]);
    });

    it('cannot read them by id', async () => {
      const res = await other.resource('mailAccounts').get({ filterByTk: accountId });
      expect(res.status).toBe(404);
      expect(res.body.errors[0].message).toMatch(/No such mailbox/);
    });

    it('cannot update them through any action', async () => {
      for (const action of ['update', 'create', 'destroy']) {
        const resource = other.resource('mailAccounts');
        const res = await resource[action]({
          filterByTk: accountId,
          values: { address: 'hijack@example.test', userId: 999 },
        });
        expect(res.status).toBeGreaterThanOrEqual(400);
      }
      const row = await accountsRepo().findOne({ filterByTk: accountId });
      expect(row.get('address')).toMatch(/^owner-/);
    });

    it('cannot reach them through generic collection paths either', async () => {
      for (const path of [
        `/mailAccounts/${accountId}/user:get`,
        '/mailOAuthStates:list',
        '/mailAccounts:list?filter={"userId":{"$ne":0}}',
      ]) {
        for (const agent of [other, admin]) {
          const res = await agent.get(path);
          expect(JSON.stringify(res.body)).not.toMatch(/owner-|"email"/);
        }
      }
    });

    it('cannot disconnect them', async () => {
      const res = await other.resource('mailAccounts').disconnect({ filterByTk: accountId });
      expect(res.status).toBe(404);
      expect(await accountsRepo().count({ filterByTk: accountId })).toBe(1);
      expect((await ownerAgent.resource('mailAccounts').get({ filterByTk: accountId })).status).toBe(200);
    });
  });

  it('disconnect removes the account, its tokens, and runs the cleanup registered for synced data', async () => {
    const { agent } = await userAgent(app);
    const { accountId } = pageMessage((await connectMailbox(agent, newMailboxAddress('dave'))).callback.text);
    const cleaned: unknown[] = [];
    const off = plugin.accounts.onRemove(async (account) => {
      cleaned.push(account.get('id'));
    });
    try {
      const res = await agent.resource('mailAccounts').disconnect({ filterByTk: accountId });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ id: accountId });
    } finally {
      off();
    }
    expect(cleaned).toEqual([accountId]);
    expect(await accountsRepo().count({ filterByTk: accountId })).toBe(0);
    expect((await agent.resource('mailAccounts').list()).body.data).toEqual([]);
    await expect(plugin.tokens.getAccessToken(accountId as number)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('deleting a NocoBase user deletes their mailboxes and runs the same cleanup', async () => {
    const { user, agent } = await userAgent(app);
    const { accountId } = pageMessage((await connectMailbox(agent, newMailboxAddress('erin'))).callback.text);
    const cleaned: unknown[] = [];
    const off = plugin.accounts.onRemove(async (account) => {
      cleaned.push(account.get('id'));
    });
    try {
      await app.db.getRepository('users').destroy({ filterByTk: user.id });
    } finally {
      off();
    }
    expect(await accountsRepo().count({ filterByTk: accountId })).toBe(0);
    expect(cleaned).toEqual([accountId]);
  });

  it('rejects malformed ids with a clear error', async () => {
    const { agent } = await userAgent(app);
    const malformed = await agent.resource('mailAccounts').get({ filterByTk: 'abc' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].message).toMatch(/account id \(filterByTk\) must be a whole number/);
    const missing = await agent.get('/mailAccounts:get');
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].message).toMatch(/filterByTk/);
  });

  it('refuses anonymous requests', async () => {
    expect((await app.agent().resource('mailAccounts').list()).status).toBe(401);
    expect((await app.agent().resource('mailAccounts').connect()).status).toBe(401);
  });
});
