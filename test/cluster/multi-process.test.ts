/**
 * A real cluster: three `nocobase start` processes of one app on one PostgreSQL database, the plugin installed from
 * its tarball, no cluster-wide NocoBase adapter (each process has only its in-process lock manager). The database
 * alone must give every mailbox one IMAP connection in the whole cluster, and a killed node's mailboxes must move
 * to another node without losing or doubling the mail that arrived meanwhile.
 */
import type { Client } from 'pg';
import { ADMIN } from '../../scripts/app/app-folder';
import {
  clusterDatabase,
  ClusterNode,
  killNode,
  nodeOfPid,
  startCluster,
  stopCluster,
} from '../helpers/cluster-processes';
import { imapSessionsPerUser } from '../helpers/dovecot-control';
import { connectOverHttp } from '../helpers/http-connect';
import { waitFor } from '../helpers/wait-for';
import { deliver, getStack, newMailboxAddress, registerApp } from '../mail-stack/client';
import { portBaseFromEnv } from '../mail-stack/ports';
import { standInSettings } from '../mail-stack/settings-values';

jest.setTimeout(15 * 60_000);

const NODES = 3;
const MAILBOXES = 30;
/** Short, so a takeover is seen in seconds; the defaults (30 s scans, 90 s leases) behave the same, slower. */
const SCAN_MS = 1_000;
const LEASE_MS = 5_000;
const PASSWORD = 'cluster-member-1';

// Several processes share state only through a real database server. Jest reports nothing of a file whose tests
// are all skipped, so the reason goes where the run's output shows it.
const onPostgres = process.env.DB_DIALECT === 'postgres';
if (!onPostgres) process.stderr.write('test/cluster/multi-process.test.ts: skipped, it needs DB_DIALECT=postgres\n');

(onPostgres ? describe : describe.skip)('three NocoBase processes on one PostgreSQL database', () => {
  let nodes: ClusterNode[] = [];
  let db: Client;
  const mailboxes: Array<{ email: string; accountId: number }> = [];

  async function signIn(node: ClusterNode, account: string, password: string): Promise<string> {
    const res = await fetch(`${node.instance.url}/api/auth:signIn`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Authenticator': 'basic' },
      body: JSON.stringify({ account, password }),
    });
    if (!res.ok) throw new Error(`sign-in as ${account} answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { data: { token: string } }).data.token;
  }

  async function call(node: ClusterNode, token: string, action: string, values: object) {
    const res = await fetch(`${node.instance.url}/api/${action}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(values),
    });
    if (!res.ok) throw new Error(`${action} answered ${res.status}: ${await res.text()}`);
  }

  /** Account id → the process holding its ownership lease, read from the lease rows. */
  async function owningPids(): Promise<Map<number, number>> {
    const { rows } = await db.query<{ lockKey: string; holder: string }>(
      `SELECT "lockKey", holder FROM "mailLocks" WHERE "lockKey" LIKE '%:mail-sync-owner:%'`,
    );
    // Holders are "<host>:<pid>:<instance>#<n>".
    return new Map(rows.map((r) => [Number(r.lockKey.split(':').pop()), Number(r.holder.split(':')[1])]));
  }

  /** Account id → the live node that owns it (a dead node's lease, not yet taken over, names none). */
  async function owners(): Promise<Map<number, ClusterNode | undefined>> {
    const pids = await owningPids();
    return new Map(
      mailboxes.map((m) => [m.accountId, pids.has(m.accountId) ? nodeOfPid(nodes, pids.get(m.accountId)!) : undefined]),
    );
  }

  /** Every mailbox owned by a live node and connected exactly once at the server. */
  async function settled(): Promise<boolean> {
    const [owned, sessions] = [await owners(), await imapSessionsPerUser('full')];
    return mailboxes.every((m) => owned.get(m.accountId) && sessions.get(m.email) === 1);
  }

  async function storedCopies(accountId: number, subject: string): Promise<number> {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM "mailMessages" WHERE "accountId" = $1 AND subject = $2`,
      [accountId, subject],
    );
    return rows[0].n;
  }

  beforeAll(async () => {
    const database = `${process.env.DB_DATABASE}_cluster`;
    nodes = await startCluster({
      count: NODES,
      port: portBaseFromEnv() + 800,
      database,
      pluginOptions: { reading: { scanIntervalMs: SCAN_MS, leaseMs: LEASE_MS } },
    });
    db = await clusterDatabase(database);

    const stack = getStack();
    const publicUrl = `${nodes[0].instance.url}/`;
    const registration = await registerApp({ redirectUris: [`${publicUrl}api/mailOAuth:callback`] });
    const admin = await signIn(nodes[0], ADMIN.email, ADMIN.password);
    await call(nodes[0], admin, 'mailSettings:update', { ...standInSettings(stack, registration), publicUrl });
    for (let i = 0; i < MAILBOXES; i++) {
      const email = newMailboxAddress('node');
      await call(nodes[0], admin, 'users:create', { email, nickname: email, password: PASSWORD, roles: ['member'] });
      // Users sign in through any node, as a load balancer sends them.
      const node = nodes[i % NODES];
      const accountId = await connectOverHttp(node.instance.url, await signIn(node, email, PASSWORD), email);
      mailboxes.push({ email, accountId });
    }
  });

  afterAll(async () => {
    await db?.end();
    await stopCluster(nodes);
  });

  it('each mailbox has one IMAP connection in the whole cluster, and no node owns more than half', async () => {
    await waitFor(settled, { timeoutMs: 120_000, intervalMs: 500, what: 'every mailbox connected once' });
    // Several scans on every node: a node that could take an owned mailbox would have connected it by now.
    await new Promise((resolve) => setTimeout(resolve, 3 * SCAN_MS));
    expect(await settled()).toBe(true);
    const owned = [...(await owners()).values()];
    const perNode = nodes.map((node) => owned.filter((n) => n === node).length);
    for (const count of perNode) expect(count).toBeLessThanOrEqual(MAILBOXES / 2);
  });

  it('a killed node: another takes its mailboxes over within two lease periods, and mail of the gap is stored once', async () => {
    const victim = mailboxes[0];
    const dead = (await owners()).get(victim.accountId)!;
    killNode(dead);
    const subject = `Delivered while its node was down ${Date.now()}`;
    await deliver({ to: victim.email, subject, text: 'one copy only' });

    await waitFor(
      async () => {
        const owner = (await owners()).get(victim.accountId);
        return owner && owner !== dead;
      },
      { timeoutMs: 2 * LEASE_MS, intervalMs: 200, what: 'another node to own the mailbox' },
    );
    await waitFor(async () => (await storedCopies(victim.accountId, subject)) === 1, { what: 'the mail of the gap' });

    // Push resumes on the new owner.
    const after = `Pushed after the takeover ${Date.now()}`;
    await deliver({ to: victim.email, subject: after, text: 'pushed' });
    await waitFor(async () => (await storedCopies(victim.accountId, after)) === 1, { what: 'the pushed mail' });

    await waitFor(settled, {
      timeoutMs: 30_000,
      intervalMs: 500,
      what: 'every mailbox of the killed node connected once',
    });
    expect(await storedCopies(victim.accountId, subject)).toBe(1);
  });
});
