import { literal } from '@nocobase/database';
import type { MockServer } from '@nocobase/test';
import { deliver, newMailboxAddress } from '../../../../test/mail-stack/client';
import { connectMailbox, pageMessage, userAgent } from '../../../../test/helpers/mail-app';
import { MAIL_CHANGED_NOTICE } from '../../events';
import PluginEmailManagerServer from '../../plugin';
import { getMailReading } from '../register';
import { createMailCluster, MailCluster, onPostgres } from './helpers/mail-cluster';
import { realisticMix, seed, waitFor } from './helpers/reading-app';

const ACCOUNTS = 3;
const PER_ACCOUNT = 60;

onPostgres('two nodes (createMockCluster on PostgreSQL)', () => {
  let cluster: MailCluster;
  let nodes: MockServer[];
  const accounts: Array<{ id: number; email: string; agent: ReturnType<MockServer['agent']> }> = [];

  const owners = (id: number) => nodes.filter((n) => getMailReading(n).coordinator.owns(id));
  /** (folder, uid) pairs stored more than once, across all accounts. */
  async function duplicateRows(): Promise<number> {
    const rows = await nodes[0].db.getModel('mailMessages').findAll({
      attributes: ['folderId', 'uid'],
      group: ['folderId', 'uid'],
      having: literal('COUNT(*) > 1'),
      raw: true,
    });
    return rows.length;
  }
  /** The account's own user, signed in on `node`. */
  async function ownerAgent(node: MockServer, accountId: number) {
    const account = await node.db.getRepository('mailAccounts').findOne({ filterByTk: accountId });
    const user = await node.db.getRepository('users').findOne({ filterByTk: account!.get('userId') as number });
    return node.agent().login(user!, 'member');
  }
  async function countRows(accountId: number): Promise<number> {
    return nodes[0].db.getModel('mailMessages').count({ where: { accountId } });
  }

  beforeAll(async () => {
    cluster = await createMailCluster({ background: true, scanIntervalMs: 500, batchSize: 20 });
    nodes = cluster.nodes;
    for (let i = 0; i < ACCOUNTS; i++) {
      const email = newMailboxAddress('cluster');
      await seed(email, 'INBOX', realisticMix(PER_ACCOUNT));
      // Users sign in through either node, as a load balancer would send them.
      const node = nodes[i % 2];
      const { agent } = await userAgent(node, 'member');
      const { callback } = await connectMailbox(agent, email);
      const result = pageMessage(callback.text);
      expect(result.ok).toBe(true);
      accounts.push({ id: Number(result.accountId), email, agent });
    }
  }, 120_000);

  afterAll(async () => {
    await cluster?.destroy();
  });

  it('syncs each account on exactly one node, with no duplicate rows', async () => {
    await waitFor(
      async () => {
        for (const a of accounts) if ((await countRows(a.id)) < PER_ACCOUNT) return false;
        return true;
      },
      { timeoutMs: 60_000, what: 'every account synced' },
    );
    for (const a of accounts) {
      expect(owners(a.id)).toHaveLength(1);
      expect(await countRows(a.id)).toBe(PER_ACCOUNT);
    }
    expect(await duplicateRows()).toBe(0);
  });

  it('"sync now" on the node that does not own the account is carried out by the owner', async () => {
    const a = accounts[0];
    const owner = owners(a.id)[0];
    const other = nodes.find((n) => n !== owner)!;
    // Through the other node, as the account's own user.
    const userAgentOnOther = await ownerAgent(other, a.id);
    const before = (await a.agent.resource('mailAccounts').syncStatus()).body.data[0].lastSyncAt;
    const res = await userAgentOnOther.resource('mailAccounts').sync({ filterByTk: a.id });
    expect(res.status).toBe(200);
    await waitFor(async () => (await a.agent.resource('mailAccounts').syncStatus()).body.data[0].lastSyncAt > before, {
      what: 'the owner to sync',
    });
    expect(owners(a.id)).toEqual([owner]);
  });

  it('new mail is stored once, by the owner, and every node lists it', async () => {
    const a = accounts[1];
    const subject = `Cluster push ${Date.now()}`;
    await deliver({ to: a.email, subject, text: 'one copy only' });
    await waitFor(
      async () => (await nodes[0].db.getModel('mailMessages').count({ where: { accountId: a.id, subject } })) === 1,
      { what: 'the pushed message' },
    );
    for (const node of nodes) {
      const agent = await ownerAgent(node, a.id);
      // The node that stored the message writes its search index entry: another node's search finds it a moment
      // later (a search waits only for its own node's index writes).
      const rows = await waitFor(
        async () => {
          const found = (await agent.resource('mailMessages').list({ q: subject })).body.data;
          return found.length ? found : null;
        },
        { what: 'the message found by a search on every node' },
      );
      expect(rows).toHaveLength(1);
    }
    expect(await duplicateRows()).toBe(0);
  });

  it('a listener hears what was stored once, on the node that stored it; the client notice reaches every node', async () => {
    const a = accounts[1];
    const heard: Array<{ node: number; ids: number[] }> = [];
    const notices = new Set<number>();
    const unsubscribe = nodes.map((node, i) => {
      const plugin = node.pm.get(PluginEmailManagerServer) as PluginEmailManagerServer;
      const off = plugin.events.on(
        'messagesStored',
        (e) => void (e.accountId === a.id && heard.push({ node: i, ids: e.ids })),
      );
      const notice = (e: { accountId: number }) => void (e.accountId === a.id && notices.add(i));
      node.on(MAIL_CHANGED_NOTICE, notice);
      return () => {
        off();
        node.off(MAIL_CHANGED_NOTICE, notice);
      };
    });
    try {
      const subject = `Heard once ${Date.now()}`;
      await deliver({ to: a.email, subject, text: 'one event' });
      const row = await waitFor(
        async () => nodes[0].db.getModel('mailMessages').findOne({ where: { accountId: a.id, subject } }),
        { what: 'the message stored' },
      );
      await waitFor(async () => heard.length > 0 && notices.size === nodes.length, {
        what: 'the event, and the notice on every node',
      });
      // Time for a second node to hear it too, were it to.
      await new Promise((r) => setTimeout(r, 500));
      expect(heard).toEqual([{ node: nodes.indexOf(owners(a.id)[0]), ids: [Number(row.get('id'))] }]);
    } finally {
      unsubscribe.forEach((off) => off());
    }
  });

  it('when the owning node stops, the other one takes the account over', async () => {
    const a = accounts[2];
    const owner = owners(a.id)[0];
    const survivor = nodes.find((n) => n !== owner)!;
    await getMailReading(owner).coordinator.stop();
    await waitFor(async () => getMailReading(survivor).coordinator.owns(a.id), {
      timeoutMs: 15_000,
      what: 'take-over',
    });
    const subject = `After take-over ${Date.now()}`;
    await deliver({ to: a.email, subject, text: 'still arrives' });
    await waitFor(
      async () => (await survivor.db.getModel('mailMessages').count({ where: { accountId: a.id, subject } })) === 1,
      { what: 'mail after take-over' },
    );
    expect(await countRows(a.id)).toBe(PER_ACCOUNT + 1);
    expect(await duplicateRows()).toBe(0);
  });
});
