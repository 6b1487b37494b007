import type { MockServer } from '@nocobase/test';
import { MailAccountStatus } from '../../../shared/constants';
import { LoopbackAuthority, startLoopbackAuthority } from '../../../../test/helpers/loopback-authority';
import {
  Agent,
  configureStandIn,
  connectMailbox,
  createMailApp,
  pageMessage,
  standInSettings,
  userAgent,
} from '../../../../test/helpers/mail-app';
import { AppRegistration, newMailboxAddress, tokenEndpointCalls } from '../../../../test/helpers/stand-in';
import type PluginEmailManagerServer from '../../plugin';

describe('a change of the sign-in settings and back keeps users signed in', () => {
  let app: MockServer;
  let plugin: PluginEmailManagerServer;
  let admin: Agent;
  let registration: AppRegistration;
  let elsewhere: LoopbackAuthority;

  beforeAll(async () => {
    ({ app, plugin } = await createMailApp());
    admin = (await userAgent(app, 'admin')).agent;
    registration = await configureStandIn(app, admin);
    elsewhere = await startLoopbackAuthority();
  });

  afterAll(async () => {
    await elsewhere?.close();
    await app?.destroy();
  });

  const accounts = () => app.db.getRepository('mailAccounts');
  const saveSettings = async (values: Record<string, unknown>) => {
    const res = await admin.resource('mailSettings').update({ values });
    expect(res.status).toBe(200);
  };

  async function connectedWithDueRefresh(): Promise<{ email: string; id: number }> {
    const { agent } = await userAgent(app);
    const email = newMailboxAddress('moved');
    const { accountId } = pageMessage((await connectMailbox(agent, email)).callback.text);
    // The stored token is due, so the next use refreshes (as an hour passing would).
    await accounts().update({ filterByTk: accountId, values: { accessTokenExpiresAt: new Date(Date.now() - 60_000) } });
    return { email, id: accountId as number };
  }

  it('a refresh under another sign-in host says the settings changed, sends nothing there, and heals when they are changed back', async () => {
    const { email, id } = await connectedWithDueRefresh();
    await saveSettings(standInSettings(registration, { authorityHost: elsewhere.host }));

    await expect(plugin.tokens.getAccessToken(id)).rejects.toMatchObject({
      message: expect.stringMatching(/sign-in settings changed/),
    });
    const row = await accounts().findOne({ filterByTk: id });
    expect(row.get('status')).not.toBe(MailAccountStatus.reconnectRequired);
    expect(row.get('statusReason')).toMatch(/sign-in settings changed since this mailbox was connected/);
    expect(row.get('statusReason')).not.toMatch(/missing/);
    // The mailbox's refresh token never travels to a host it was not issued by.
    expect(elsewhere.requests.filter((r) => r.method === 'POST')).toEqual([]);

    await saveSettings(standInSettings(registration));
    const before = await tokenEndpointCalls({ email, grantType: 'refresh_token' });
    const token = await plugin.tokens.getAccessToken(id);
    expect(token.address).toBe(email);
    expect(await tokenEndpointCalls({ email, grantType: 'refresh_token' })).toBe(before + 1);
    const healed = await accounts().findOne({ filterByTk: id });
    expect(healed.get('status')).toBe(MailAccountStatus.connected);
    expect(healed.get('statusReason')).toBeNull();
  });
});
