/**
 * The participants index stays whole when a run stopped between storing a batch of messages and their
 * participants: storing the batch again (what a resumed sync does) fills in the participants of the rows it finds
 * already stored, and adds nothing twice.
 */
import type { MockServer } from '@nocobase/test';
import { createPluginApp } from '../../../../test/helpers/plugin-app';
import { getMailReading } from '../../sync/register';
import { messageRecord } from './helpers/message-record';
import { ACCOUNTS_COLLECTION, FOLDERS_COLLECTION, PARTICIPANTS_COLLECTION } from '../collection-names';

jest.setTimeout(120_000);

describe('participants of a batch stored again', () => {
  let app: MockServer;

  beforeAll(async () => {
    app = await createPluginApp();
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('are filled in for rows stored before, once', async () => {
    const user = await app.db.getRepository('users').create({ values: { nickname: 'r', email: 'r@nocobase.test' } });
    const account = await app.db
      .getModel(ACCOUNTS_COLLECTION)
      .create({ userId: user.get('id'), provider: 'microsoft', address: 'me@example.test' }, { hooks: false });
    const folder = await app.db
      .getModel(FOLDERS_COLLECTION)
      .create({ accountId: account.get('id'), path: 'INBOX', name: 'Inbox' }, { hooks: false });
    const record = (uid: number) => messageRecord(Number(account.get('id')), Number(folder.get('id')), uid);
    const { messages } = getMailReading(app);
    const participants = app.db.getModel(PARTICIPANTS_COLLECTION);
    await messages.insert([record(1), record(2)]);
    expect(await participants.count()).toBe(4);

    // Stopped after the messages' insert of this batch: rows 1 and 2 stored, the participants of 2 never written.
    const [two] = (await app.db.getModel('mailMessages').findAll({ where: { uid: 2 }, raw: true })) as unknown as {
      id: number;
    }[];
    await participants.destroy({ where: { messageRowId: two.id } });
    expect(await participants.count()).toBe(2);

    await messages.insert([record(1), record(2), record(3)]);
    const rows = (await participants.findAll({ attributes: ['role', 'address'], raw: true })) as unknown as {
      role: string;
      address: string;
    }[];
    expect(rows.map((r) => `${r.role} ${r.address}`).sort()).toEqual(
      [
        'from sender1@acme.test',
        'to me@example.test',
        'from sender2@acme.test',
        'to me@example.test',
        'from sender3@acme.test',
        'to me@example.test',
      ].sort(),
    );
  });
});
