/**
 * A real cluster: three `nocobase start` processes of one app on one PostgreSQL database, the plugin installed from
 * its tarball, no cluster-wide NocoBase adapter (each process has only its in-process lock manager). The database
 * alone must give every mailbox one IMAP connection in the whole cluster, a killed node's mailboxes must move to
 * another node without losing or doubling the mail that arrived meanwhile, an expired token must be refreshed once
 * however many nodes need it at once, a "Mail received" workflow must run once per message, and a message whose
 * sending node dies after the SMTP server took it must go out once and end `sent`.
 */
import { ImapFlow } from 'imapflow';
import type { Client } from 'pg';
import { ADMIN } from '../../scripts/app/app-folder';
import { MailWorkflowTrigger } from '../../src/shared/mail-workflow';
import {
  clusterDatabase,
  clusterEncryptor,
  ClusterNode,
  killNode,
  nodeOfPid,
  startCluster,
  stopCluster,
} from '../helpers/cluster-processes';
import { imapSessionsPerUser } from '../helpers/dovecot-control';
import { connectOverHttp } from '../helpers/http-connect';
import { SmtpHoldProxy, startSmtpHoldProxy } from '../helpers/smtp-hold-proxy';
import { aMinuteAgo, expiredTokenCache } from '../helpers/token-expiry';
import { waitFor } from '../helpers/wait-for';
import {
  deliver,
  getStack,
  issueAccessToken,
  newMailboxAddress,
  registerApp,
  resetTokenEndpointCalls,
  seedMailbox,
  tokenEndpointCalls,
} from '../mail-stack/client';
import { portBaseFromEnv } from '../mail-stack/ports';
import { standInSettings } from '../mail-stack/settings-values';

jest.setTimeout(15 * 60_000);

const NODES = 3;
const MAILBOXES = 30;
/** Short, so a takeover is seen in seconds; the defaults (30 s scans, 90 s leases) behave the same, slower. */
const SCAN_MS = 1_000;
const LEASE_MS = 5_000;
const PASSWORD = 'cluster-member-1';
/**
 * A send's lease and window, short for the same reason (defaults 5 and 10 minutes): a node killed mid-send holds
 * its message's lease that long, and a surviving node settles rows left `sending` at least once a window.
 */
const SEND_LEASE_MS = 5_000;
const SEND_WINDOW_MS = 20_000;
/** Calls at once for the token refresh, spread over the nodes. */
const TOKEN_CALLS = 300;
/** Messages for the "Mail received" workflow. */
const WORKFLOW_MESSAGES = 8;

// Several processes share state only through a real database server. Jest reports nothing of a file whose tests
// are all skipped, so the reason goes where the run's output shows it.
const onPostgres = process.env.DB_DIALECT === 'postgres';
if (!onPostgres) process.stderr.write('test/cluster/multi-process.test.ts: skipped, it needs DB_DIALECT=postgres\n');

(onPostgres ? describe : describe.skip)('three NocoBase processes on one PostgreSQL database', () => {
  let nodes: ClusterNode[] = [];
  let db: Client;
  let admin: string;
  let smtp: SmtpHoldProxy;
  const mailboxes: Array<{ email: string; accountId: number }> = [];
  const killed = new Set<ClusterNode>();
  const live = () => nodes.filter((node) => !killed.has(node));
  const kill = (node: ClusterNode) => {
    killed.add(node);
    killNode(node);
  };

  async function signIn(node: ClusterNode, account: string, password: string): Promise<string> {
    const res = await fetch(`${node.instance.url}/api/auth:signIn`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Authenticator': 'basic' },
      body: JSON.stringify({ account, password }),
    });
    if (!res.ok) throw new Error(`sign-in as ${account} answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { data: { token: string } }).data.token;
  }

  /** POSTs `values` to `action` (query parameters in `query`); the answer's `data`. */
  async function call<T = unknown>(
    node: ClusterNode,
    token: string,
    action: string,
    values: object,
    query: Record<string, string | number> = {},
  ): Promise<T> {
    const search = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
    const res = await fetch(`${node.instance.url}/api/${action}?${search}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(values),
    });
    if (!res.ok) throw new Error(`${action} answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { data: T }).data;
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

  async function storedRows(accountId: number): Promise<number> {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM "mailMessages" WHERE "accountId" = $1`, [
      accountId,
    ]);
    return rows[0].n;
  }

  /** The mailbox's access token run out, in MSAL's cache and in the row, as an hour passing would. */
  async function expireStoredToken(accountId: number) {
    const encryptor = clusterEncryptor(nodes[0]);
    const { rows } = await db.query<{ tokenCache: string }>(`SELECT "tokenCache" FROM "mailAccounts" WHERE id = $1`, [
      accountId,
    ]);
    const past = aMinuteAgo();
    const cache = await encryptor.encrypt(expiredTokenCache(await encryptor.decrypt(rows[0].tokenCache), past));
    await db.query(`UPDATE "mailAccounts" SET "tokenCache" = $1, "accessTokenExpiresAt" = $2 WHERE id = $3`, [
      cache,
      past,
      accountId,
    ]);
  }

  /** Copies of the message with this Message-ID in the mailbox's Inbox, read at Dovecot. */
  async function copiesIn(email: string, messageId: string): Promise<number> {
    const client = new ImapFlow({
      ...getStack().imap,
      auth: { user: email, accessToken: await issueAccessToken(email) },
      logger: false,
    });
    await client.connect();
    try {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const found = await client.search({ header: { 'message-id': messageId } }, { uid: true });
        return Array.isArray(found) ? found.length : 0;
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  beforeAll(async () => {
    const database = `${process.env.DB_DATABASE}_cluster`;
    nodes = await startCluster({
      count: NODES,
      port: portBaseFromEnv() + 800,
      database,
      pluginOptions: {
        reading: { scanIntervalMs: SCAN_MS, leaseMs: LEASE_MS },
        sending: { lockTtlMs: SEND_LEASE_MS, sendWindowMs: SEND_WINDOW_MS },
      },
    });
    db = await clusterDatabase(database);

    const stack = getStack();
    // The cluster submits mail through the proxy, which passes everything on until a test asks it to hold.
    smtp = await startSmtpHoldProxy(stack.smtp.port);
    const publicUrl = `${nodes[0].instance.url}/`;
    const registration = await registerApp({ redirectUris: [`${publicUrl}api/mailOAuth:callback`] });
    admin = await signIn(nodes[0], ADMIN.email, ADMIN.password);
    await call(nodes[0], admin, 'mailSettings:update', {
      ...standInSettings(stack, registration),
      smtpPort: smtp.port,
      publicUrl,
    });
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
    await smtp?.close();
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

  it(`${TOKEN_CALLS} calls at once on the three nodes that need an expired token: one request to the token endpoint`, async () => {
    // A mailbox of its own: the calls leave a pooled IMAP connection to it on each node for a while, which the
    // count of connections per mailbox above would see.
    const email = newMailboxAddress('tokens');
    await call(nodes[0], admin, 'users:create', { email, nickname: email, password: PASSWORD, roles: ['member'] });
    const tokens = await Promise.all(nodes.map((node) => signIn(node, email, PASSWORD)));
    const accountId = await connectOverHttp(nodes[0].instance.url, tokens[0], email);
    const inbox = await waitFor(
      async () =>
        (
          await call<Array<{ id: number; role: string | null }>>(nodes[0], tokens[0], 'mailFolders:list', { accountId })
        ).find((f) => f.role === 'inbox'),
      { what: 'the Inbox to be synced' },
    );
    await expireStoredToken(accountId);
    await resetTokenEndpointCalls({ email });

    // "Search on the server" runs an IMAP SEARCH for each call: every one needs the mailbox's access token.
    const answers = await Promise.all(
      Array.from({ length: TOKEN_CALLS }, async (_, i) => {
        const k = i % NODES;
        const res = await fetch(`${nodes[k].instance.url}/api/mailMessages:serverSearch`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens[k]}` },
          body: JSON.stringify({ accountId, folderId: inbox.id, query: `nothing-like-${i}` }),
        });
        return res.ok ? 'ok' : `${res.status}: ${await res.text()}`;
      }),
    );
    expect(answers.filter((a) => a !== 'ok')).toEqual([]);
    expect(await tokenEndpointCalls({ email })).toBe(1);
    // The refreshed token is stored: the next call needs none.
    await call(nodes[2], tokens[2], 'mailMessages:serverSearch', { accountId, folderId: inbox.id, query: 'again' });
    expect(await tokenEndpointCalls({ email })).toBe(1);
  });

  it('a "Mail received" workflow its mailbox owner created through the API runs once per message', async () => {
    const email = newMailboxAddress('flows');
    // The owner builds workflows: the "admin" role opens the workflow editor's API.
    await call(nodes[0], admin, 'users:create', { email, nickname: email, password: PASSWORD, roles: ['admin'] });
    const token = await signIn(nodes[1], email, PASSWORD);
    const accountId = await connectOverHttp(nodes[1].instance.url, token, email);
    await waitFor(async () => (await owningPids()).has(accountId), { what: 'a node to own the new mailbox' });
    const workflow = await call<{ id: number }>(nodes[2], token, 'workflows:create', {
      title: 'Mail in the cluster',
      type: MailWorkflowTrigger.received,
      enabled: true,
      config: {},
    });
    // Without NocoBase's pub/sub adapter a process hears of a workflow enabled on another one only when it starts:
    // turning it off and on again through each node's API enables it in every process, as the adapter would, so
    // every node that stores a message could start it.
    for (const node of nodes.filter((n) => n !== nodes[2])) {
      await call(node, token, 'workflows:update', { enabled: false }, { filterByTk: workflow.id });
      await call(node, token, 'workflows:update', { enabled: true }, { filterByTk: workflow.id });
    }

    const sent: string[] = [];
    for (let i = 0; i < WORKFLOW_MESSAGES; i++)
      sent.push(await deliver({ to: email, subject: `For the workflow ${i}`, text: `message ${i}` }));
    const started = async () => {
      const { rows } = await db.query<{ context: unknown }>(`SELECT context FROM executions WHERE "workflowId" = $1`, [
        workflow.id,
      ]);
      return rows.map((r) => {
        const context = (typeof r.context === 'string' ? JSON.parse(r.context) : r.context) as {
          message: { messageId: string };
        };
        return context.message.messageId;
      });
    };
    await waitFor(async () => (await started()).length >= WORKFLOW_MESSAGES, {
      timeoutMs: 60_000,
      what: 'an execution for every message',
    });
    // Several scans on every node: a second start of any message would have happened by now.
    await new Promise((resolve) => setTimeout(resolve, 3 * SCAN_MS));
    expect((await started()).sort()).toEqual([...sent].sort());
  });

  it('"Sync now" asked of a node that does not own the mailbox reaches the owner, through PostgreSQL alone', async () => {
    const mailbox = mailboxes[1];
    await waitFor(async () => (await owners()).get(mailbox.accountId), { what: 'the mailbox owned' });
    const owned = await owners();
    const owner = owned.get(mailbox.accountId)!;
    // A live node other than the owner (the node killed above owns nothing any more).
    const other = [...new Set(owned.values())].find((node) => node && node !== owner)!;
    const before = await storedRows(mailbox.accountId);
    // Archive is not the folder push watches: only a sync finds what arrives there.
    await seedMailbox(mailbox.email, { folders: { Archive: 2 } });
    await call(other, await signIn(other, mailbox.email, PASSWORD), 'mailAccounts:sync', {
      filterByTk: mailbox.accountId,
    });
    // Far below the mailboxes' own sync interval: only the message to the owner can have started this sync.
    await waitFor(async () => (await storedRows(mailbox.accountId)) === before + 2, {
      timeoutMs: 15_000,
      what: 'the Archive mail stored by the owner',
    });
  });

  it('a killed node: another takes its mailboxes over within two lease periods, and mail of the gap is stored once', async () => {
    const victim = mailboxes[0];
    const dead = (await owners()).get(victim.accountId)!;
    kill(dead);
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

  it('a message whose node is killed after the SMTP server took it goes out once, and another node marks it sent', async () => {
    const from = mailboxes[2];
    const to = newMailboxAddress('recipient');
    const [sending, survivor] = live();
    const subject = `Sent as its node died ${Date.now()}`;
    const held = smtp.holdNextAcceptance();
    const request = fetch(`${sending.instance.url}/api/mailMessages:send`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${await signIn(sending, from.email, PASSWORD)}`,
      },
      body: JSON.stringify({ accountId: from.accountId, to, subject, html: 'exactly one copy' }),
    }).then(
      async (res) => `${res.status}: ${await res.text()}`,
      () => null,
    );
    // Postfix answered the end of DATA: the message is queued there, and the node has not heard it.
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('the server never answered the end of DATA')), 60_000).unref(),
    );
    const first = await Promise.race([
      held.then((reply) => ({ reply })),
      request.then((answer) => ({ answer })),
      timeout,
    ]);
    expect(first).toEqual({ reply: expect.stringMatching(/^250 /) });
    kill(sending);
    expect(await request).toBeNull();

    const outboxRow = async () =>
      (
        await db.query<{ id: number; state: string; messageId: string; failureReason: string | null }>(
          `SELECT id, state, "messageId", "failureReason" FROM "mailOutbox" WHERE subject = $1`,
          [subject],
        )
      ).rows;
    const [left] = await outboxRow();
    expect(left.state).toBe('sending');
    // Once the dead node's lease runs out, a surviving node settles the row by the server's word: the copy the
    // server filed in Sent Items. It never sends a row left `sending` again.
    await waitFor(async () => (await outboxRow())[0].state !== 'sending', {
      timeoutMs: SEND_LEASE_MS + SEND_WINDOW_MS + 20_000,
      intervalMs: 500,
      what: 'the interrupted send to be settled',
    });
    expect(await outboxRow()).toEqual([expect.objectContaining({ state: 'sent', failureReason: null })]);
    await waitFor(async () => (await copiesIn(to, left.messageId)) >= 1, { what: 'the delivered copy' });

    // The user's Retry on another node answers that it went out, and sends nothing.
    const token = await signIn(survivor, from.email, PASSWORD);
    const retried = await call<{ state: string }>(survivor, token, 'mailOutbox:retry', {}, { filterByTk: left.id });
    expect(retried.state).toBe('sent');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await copiesIn(to, left.messageId)).toBe(1);
  });
});
