/**
 * Messages between nodes over the real PostgreSQL's LISTEN/NOTIFY: two buses on one channel stand for two nodes.
 * A node hears the others and not itself, another channel (another app) hears nothing, and a listening connection
 * the server cuts is made again.
 */
import type { MockServer } from '@nocobase/test';
import { createPluginApp } from '../../../../test/helpers/plugin-app';
import { waitFor } from '../../../../test/helpers/wait-for';
import { PostgresNotifyBus } from '../postgres-notify-bus';

const onPostgres = process.env.DB_DIALECT === 'postgres' ? describe : describe.skip;

type Note = { n: number };

onPostgres('PostgresNotifyBus', () => {
  let app: MockServer;
  const buses: PostgresNotifyBus<Note>[] = [];

  /** A node on `channel` and what it heard. */
  async function node(channel: string) {
    const heard: Note[] = [];
    const bus = new PostgresNotifyBus<Note>(app.db, channel);
    buses.push(bus);
    await bus.subscribe((note) => void heard.push(note));
    return { bus, heard };
  }

  beforeAll(async () => {
    app = await createPluginApp();
  });

  afterAll(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
    await app?.destroy();
  });

  it('a message reaches every other node on the channel, not the one that sent it nor another channel', async () => {
    const a = await node('mail_test_one');
    const b = await node('mail_test_one');
    const elsewhere = await node('mail_test_two');
    await a.bus.publish({ n: 1 });
    await b.bus.publish({ n: 2 });
    await waitFor(async () => a.heard.length === 1 && b.heard.length === 1, { what: 'both messages heard' });
    // A last message on the other channel: once it is heard, anything misrouted before it would have been too.
    await elsewhere.bus.publish({ n: 3 });
    const witness = await node('mail_test_two');
    await elsewhere.bus.publish({ n: 4 });
    await waitFor(async () => witness.heard.length === 1, { what: 'the other channel heard' });
    expect(a.heard).toEqual([{ n: 2 }]);
    expect(b.heard).toEqual([{ n: 1 }]);
    expect(elsewhere.heard).toEqual([]);
    expect(witness.heard).toEqual([{ n: 4 }]);
  });

  it("a listening connection cut by the server is made again, and the node hears the others' messages after it", async () => {
    const a = await node('mail_test_cut');
    const b = await node('mail_test_cut');
    const [{ count }] = (await app.db.sequelize.query(
      `SELECT count(pg_terminate_backend(pid))::int AS count FROM pg_stat_activity
        WHERE datname = current_database() AND query = 'LISTEN "mail_test_cut"'`,
      { type: 'SELECT' },
    )) as Array<{ count: number }>;
    expect(count).toBe(2);
    await waitFor(async () => !b.bus.listening, { what: 'the cut seen' });
    await waitFor(async () => a.bus.listening && b.bus.listening, { what: 'both listening again', timeoutMs: 15_000 });
    await a.bus.publish({ n: 5 });
    await waitFor(async () => b.heard.length === 1, { what: 'the message after the cut heard' });
    expect(b.heard).toEqual([{ n: 5 }]);
  });

  it('a payload that is not a message of ours (anyone may NOTIFY) is ignored', async () => {
    const a = await node('mail_test_foreign');
    await app.db.sequelize.query(
      `SELECT pg_notify('mail_test_foreign', 'not json'), pg_notify('mail_test_foreign', '{}')`,
    );
    const b = await node('mail_test_foreign');
    await b.bus.publish({ n: 6 });
    await waitFor(async () => a.heard.length > 0, { what: 'the real message heard' });
    expect(a.heard).toEqual([{ n: 6 }]);
  });
});
