/**
 * Two nodes on one PostgreSQL database that share no lock manager, as two processes of a NocoBase cluster without
 * a cluster-wide lock adapter: the database alone must give each mailbox one owner and each token one refresh.
 */
import { createMockCluster, MockServer } from '@nocobase/test';
import {
  connectMailbox,
  pageMessage,
  standInSettings,
  testRedirectUri,
  userAgent,
} from '../../../../test/helpers/mail-app';
import { APP_PLUGINS } from '../../../../test/helpers/plugin-app';
import { SeparateLockManagerPlugin } from '../../../../test/helpers/separate-lock-manager';
import { newMailboxAddress, registerApp, tokenEndpointCalls } from '../../../../test/helpers/stand-in';
import { expireStoredAccessToken } from '../../../../test/helpers/token-expiry';
import { waitFor } from '../../../../test/helpers/wait-for';
import PluginEmailManagerServer from '../../plugin';
import { getMailReading } from '../../sync/register';
import { imapPort } from '../../sync/__tests__/helpers/reading-app';

// Several nodes only share state through a real database server.
const onPostgres = process.env.DB_DIALECT === 'postgres' ? describe : describe.skip;

const ACCOUNTS = 3;
const SCAN_MS = 300;

onPostgres('two nodes with separate lock managers (createMockCluster on PostgreSQL)', () => {
  let cluster: Awaited<ReturnType<typeof createMockCluster>>;
  let nodes: MockServer[];
  const accounts: Array<{ id: number; email: string }> = [];
  let firstSaves: number[];

  const owners = (id: number) => nodes.filter((n) => getMailReading(n).coordinator.owns(id));
  const plugin = (node: MockServer) => node.pm.get(PluginEmailManagerServer) as PluginEmailManagerServer;

  beforeAll(async () => {
    cluster = await createMockCluster({
      number: 2,
      plugins: [
        [SeparateLockManagerPlugin, { name: 'separate-lock-manager' }],
        ...APP_PLUGINS,
        [PluginEmailManagerServer, { name: 'email-manager', reading: { background: true, scanIntervalMs: SCAN_MS } }],
      ],
      acl: true,
      registerActions: true,
    } as never);
    nodes = cluster.nodes;
    const registration = await registerApp({ redirectUris: [testRedirectUri(nodes[0])] });
    const values = standInSettings(registration, { imapHost: 'localhost', imapPort: imapPort('full') });
    // The first save on both nodes at once: each finds no settings row yet.
    const admins = await Promise.all(nodes.map(async (node) => (await userAgent(node, 'admin')).agent));
    firstSaves = (await Promise.all(admins.map((admin) => admin.resource('mailSettings').update({ values })))).map(
      (res) => res.status,
    );
    for (let i = 0; i < ACCOUNTS; i++) {
      const email = newMailboxAddress('separate');
      const { agent } = await userAgent(nodes[i % 2], 'member');
      const result = pageMessage((await connectMailbox(agent, email)).callback.text);
      expect(result.ok).toBe(true);
      accounts.push({ id: Number(result.accountId), email });
    }
  }, 120_000);

  afterAll(async () => {
    await cluster?.destroy();
  });

  it('the nodes do not share a lock manager', () => {
    expect(nodes[0].lockManager).not.toBe(nodes[1].lockManager);
  });

  it('the first settings saved on both nodes at once leave one settings row', async () => {
    expect(firstSaves).toEqual([200, 200]);
    expect(await nodes[0].db.getRepository('mailSettings').count()).toBe(1);
  });

  it('each mailbox is owned by exactly one node', async () => {
    await waitFor(async () => accounts.every((a) => owners(a.id).length > 0), { what: 'every mailbox owned' });
    // Several scans on both nodes: a node that could take an owned mailbox would have taken it by now.
    await new Promise((resolve) => setTimeout(resolve, 5 * SCAN_MS));
    for (const a of accounts) expect(owners(a.id)).toHaveLength(1);
  });

  it('concurrent calls on both nodes for an expired token make one token-endpoint call', async () => {
    const a = accounts[0];
    await expireStoredAccessToken(nodes[0], a.id);
    const refreshCalls = () => tokenEndpointCalls({ email: a.email, grantType: 'refresh_token' });
    const before = await refreshCalls();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => plugin(nodes[i % 2]).tokens.getAccessToken(a.id)),
    );
    expect(await refreshCalls()).toBe(before + 1);
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
  });
});
