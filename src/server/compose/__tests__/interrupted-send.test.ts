import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MockServer } from '@nocobase/test';
import { LeaseTable } from '../../cluster/lease-table';
import { OutboxSender, OutboxSenderDeps } from '../outbox-sender';
import type { MailSending } from '../register';
import { connectedUser, readFolder, sendingApp, waitFor } from './helpers/sending-app';

/**
 * The node stops in the middle of a send. A real crash is stood in for by stopping the app at that point: the
 * database connection closes (no later write of the attempt lands), the IMAP pool and timers go, and `app.start()`
 * comes back on the same database, as a restarted process would. SQLite runs from a file for this suite, so the
 * rows outlive the stop.
 */
const folder = process.env.DB_DIALECT === 'postgres' ? null : mkdtempSync(path.join(tmpdir(), 'mailbridge-crash-'));
const savedStorage = process.env.DB_STORAGE;
if (folder) process.env.DB_STORAGE = path.join(folder, 'app.sqlite');

/** How long an attempt may run before a row still `sending` is settled without the server's word (test: short). */
const SEND_WINDOW_MS = 6_000;
/** The lock of a send cut off by a crash outlives it (it is cluster-wide) until it runs out: shorter than the window. */
const LOCK_TTL_MS = 2_000;

describe('outbox: a send cut off by a crash is settled after the restart, and never sent twice', () => {
  let app: MockServer;
  let a: Awaited<ReturnType<typeof connectedUser>>;
  let b: Awaited<ReturnType<typeof connectedUser>>;

  beforeAll(async () => {
    ({ app } = await sendingApp({}, { sending: { sendWindowMs: SEND_WINDOW_MS, lockTtlMs: LOCK_TTL_MS } }));
    a = await connectedUser(app, 'alice');
    b = await connectedUser(app, 'bob');
  });
  afterAll(async () => {
    await app?.destroy();
    if (folder) rmSync(folder, { recursive: true, force: true });
    if (savedStorage === undefined) delete process.env.DB_STORAGE;
    else process.env.DB_STORAGE = savedStorage;
  });

  const copiesOf = async (messageId: string) =>
    (await readFolder(b.email)).filter((m) => m.parsed.messageId === messageId).length;
  const outboxRow = async (subject: string) => app.db.getRepository('mailOutbox').findOne({ filter: { subject } });

  /**
   * Stops the app the moment the outbox is about to do `step` (`accepted`: write `sent` after the SMTP server took
   * the message; `building`: read the files before SMTP starts). The stopped attempt writes nothing more.
   */
  function crashAt(step: 'accepted' | 'building') {
    const { store } = app.container.get<MailSending>('mailbridge.sending');
    const saved = { update: store.update, transition: store.transition, fileContents: store.fileContents };
    let crashed = false;
    const crash = async () => {
      crashed = true;
      await app.stop();
      throw new Error('the process was killed');
    };
    const write =
      <A extends unknown[]>(fn: (...args: A) => Promise<unknown>) =>
      async (...args: A) => {
        if (crashed) throw new Error('the process was killed');
        const values = args[args.length - 1] as { state?: string };
        if (step === 'accepted' && values?.state === 'sent') return crash();
        return fn.apply(store, args);
      };
    store.update = write(saved.update) as typeof store.update;
    store.transition = write(saved.transition) as typeof store.transition;
    store.fileContents = (async (id: number) =>
      step === 'building' ? crash() : saved.fileContents.call(store, id)) as typeof store.fileContents;
    return async function restart() {
      Object.assign(store, saved);
      await app.start();
    };
  }

  it('stopped after the server accepted the message: after the restart it is marked sent (found in Sent), and a retry sends nothing', async () => {
    const restart = crashAt('accepted');
    await a.agent
      .resource('mailMessages')
      .send({ values: { accountId: a.accountId, to: b.email, subject: 'Cut off after SMTP', html: 'once' } })
      .catch(() => undefined);
    await restart();

    const row = await waitFor(
      async () => {
        const r = await outboxRow('Cut off after SMTP');
        return r?.get('state') === 'sent' ? r : null;
      },
      { what: 'the interrupted send to be settled as sent', timeoutMs: 30_000 },
    );
    const messageId = row.get('messageId') as string;
    await waitFor(async () => (await copiesOf(messageId)) === 1, { what: 'the delivered copy' });

    const retried = await a.agent.resource('mailOutbox').retry({ filterByTk: row.get('id') });
    expect(retried.body.data).toMatchObject({ state: 'sent', messageId });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await copiesOf(messageId)).toBe(1);
  });

  it('stopped before the server had it: not in Sent once the send window has passed, so it is failed with that reason, and the retry delivers one copy', async () => {
    const restart = crashAt('building');
    await a.agent
      .resource('mailMessages')
      .send({ values: { accountId: a.accountId, to: b.email, subject: 'Cut off before SMTP', html: 'later' } })
      .catch(() => undefined);
    await restart();

    const stuck = await outboxRow('Cut off before SMTP');
    const id = stuck!.get('id');
    const row = await waitFor(
      async () => {
        const r = await outboxRow('Cut off before SMTP');
        return r?.get('state') === 'failed' ? r : null;
      },
      { what: 'the interrupted send to be settled as failed', timeoutMs: 30_000 },
    );
    expect(row.get('failureReason')).toMatch(/not in the Sent folder.*did not go out/);
    const messageId = row.get('messageId') as string;
    expect(await copiesOf(messageId)).toBe(0);

    const retried = await a.agent.resource('mailOutbox').retry({ filterByTk: id });
    expect(retried.body.data).toMatchObject({ state: 'sent', messageId });
    await waitFor(async () => (await copiesOf(messageId)) === 1, { what: 'the retried copy' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await copiesOf(messageId)).toBe(1);
  });

  it('a second attempt while a slow send is still running (its lock expired) leaves it alone: it is not marked failed, and one copy goes out', async () => {
    const { store, sender } = app.container.get<MailSending>('mailbridge.sending');
    // What a cluster lock adapter does once the TTL is over: the next attempt no longer waits for the first.
    const expiredLock = { runExclusive: (_key: string, fn: () => Promise<unknown>) => fn() };
    const second = new OutboxSender({
      ...(sender as unknown as { deps: OutboxSenderDeps }).deps,
      locks: expiredLock as never,
    });
    const saved = store.fileContents;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    store.fileContents = (async (id: number) => {
      await gate;
      return saved.call(store, id);
    }) as typeof store.fileContents;
    try {
      // `.then` starts a supertest request.
      const first = a.agent
        .resource('mailMessages')
        .send({ values: { accountId: a.accountId, to: b.email, subject: 'Slow send', html: 'slow' } })
        .then((r) => r);
      const live = await waitFor(
        async () => {
          const r = await outboxRow('Slow send');
          return r?.get('state') === 'sending' ? r : null;
        },
        { what: 'the slow send to start' },
      );
      const id = Number(live.get('id'));
      expect((await second.deliver(id)).get('state')).toBe('sending');
      // A Retry (or Delete) while the send runs answers at once that it is being sent; it waits for nothing.
      const retried = await a.agent.resource('mailOutbox').retry({ filterByTk: id });
      expect(retried.body.data).toMatchObject({ state: 'sending' });
      const removed = await a.agent.resource('mailOutbox').destroy({ filterByTk: id });
      expect([removed.status, removed.body.errors?.[0]?.message]).toEqual([409, expect.stringMatching(/being sent/)]);
      release();
      // Whole objects, so a failure shows the reason the outbox recorded.
      expect((await first).body.data).toMatchObject({ state: 'sent', failureReason: null });
      const messageId = live.get('messageId') as string;
      await waitFor(async () => (await copiesOf(messageId)) === 1, { what: 'the slow copy' });
      await new Promise((r) => setTimeout(r, 1500));
      expect(await copiesOf(messageId)).toBe(1);
    } finally {
      release();
      store.fileContents = saved;
    }
  });

  it('the lease of a node killed mid-send holds up neither Retry nor Delete: they answer "being sent" at once', async () => {
    const restart = crashAt('building');
    await a.agent
      .resource('mailMessages')
      .send({ values: { accountId: a.accountId, to: b.email, subject: 'Cut off, lease left', html: 'lease' } })
      .catch(() => undefined);
    await restart();
    const stuck = await outboxRow('Cut off, lease left');
    const id = Number(stuck!.get('id'));
    // A node killed with a fresh lease on the message: it lasts the default five minutes.
    const { sender } = app.container.get<MailSending>('mailbridge.sending');
    const key = `${(sender as unknown as { deps: OutboxSenderDeps }).deps.lockPrefix}:outbox:${id}`;
    const leases = new LeaseTable(app.db);
    await waitFor(() => leases.take(key, 'a-node-killed-mid-send', 5 * 60_000), { what: "the dead node's lease" });
    try {
      const retried = await a.agent.resource('mailOutbox').retry({ filterByTk: id });
      expect(retried.body.data).toMatchObject({ state: 'sending' });
      const removed = await a.agent.resource('mailOutbox').destroy({ filterByTk: id });
      expect(removed.status).toBe(409);
      expect(removed.body.errors[0].message).toMatch(/being sent right now/);
    } finally {
      await leases.release(key, 'a-node-killed-mid-send');
    }
    // Once the lease is gone the row is settled as usual.
    await waitFor(async () => (await a.agent.resource('mailOutbox').destroy({ filterByTk: id })).status === 200, {
      what: 'the delete to go through',
      timeoutMs: 30_000,
      intervalMs: 500,
    });
  });

  it('a row left sending can be deleted once settled (409 "being sent" only until then), and nothing goes out', async () => {
    const restart = crashAt('building');
    await a.agent
      .resource('mailMessages')
      .send({ values: { accountId: a.accountId, to: b.email, subject: 'Cut off, then deleted', html: 'gone' } })
      .catch(() => undefined);
    await restart();
    const stuck = await outboxRow('Cut off, then deleted');
    const messageId = stuck!.get('messageId') as string;
    await waitFor(
      async () => {
        const res = await a.agent.resource('mailOutbox').destroy({ filterByTk: stuck!.get('id') });
        if (res.status !== 200) expect(res.body.errors[0].message).toMatch(/being sent right now/);
        return res.status === 200;
      },
      { what: 'the delete to go through', timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(await outboxRow('Cut off, then deleted')).toBeNull();
    expect(await copiesOf(messageId)).toBe(0);
  });
});
