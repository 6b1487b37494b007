/**
 * The indexes the collections declare exist after install, on whichever database the suite runs on. On SQLite,
 * NocoBase's sync used to rebuild a table to reconcile a JSON column's default (`[]`), and Sequelize's table rebuild
 * drops every composite index: the unique (folder, uid) that keeps a message single, and the ones lists use.
 */
import type { MockServer } from '@nocobase/test';
import { createPluginApp } from '../helpers/plugin-app';

type IndexInfo = { name: string; unique: boolean; fields: Array<{ attribute: string }> };

describe('declared indexes exist after install', () => {
  let app: MockServer;

  beforeAll(async () => {
    app = await createPluginApp();
  });
  afterAll(async () => {
    await app?.destroy();
  });

  async function indexesOf(collection: string): Promise<string[]> {
    const c = app.db.getCollection(collection);
    const rows = (await app.db.sequelize
      .getQueryInterface()
      .showIndex(c.getTableNameWithSchema() as never)) as unknown as IndexInfo[];
    const column = (attr: string) => c.model.rawAttributes[attr]?.field ?? attr;
    return rows
      .filter((r) => !/_pkey$|^PRIMARY$/.test(r.name))
      .map((r) => `${r.unique ? 'unique ' : ''}${r.fields.map((f) => f.attribute).join(',')}`)
      .map((s) => s.replace(/[A-Za-z_]+/g, (w) => (w === 'unique' ? w : column(w))));
  }

  function declared(collection: string): string[] {
    const c = app.db.getCollection(collection);
    const column = (attr: string) => c.model.rawAttributes[attr]?.field ?? attr;
    const uniqueFields = Object.entries(c.model.rawAttributes)
      .filter(([, a]) => a.unique === true)
      .map(([k]) => `unique ${column(k)}`);
    return [
      ...uniqueFields,
      ...((c.options as { indexes?: Array<{ unique?: boolean; fields: string[] }> }).indexes ?? []).map(
        (i) => `${i.unique ? 'unique ' : ''}${i.fields.map(column).join(',')}`,
      ),
    ];
  }

  it.each([
    'mailMessages',
    'mailOutbox',
    'mailFolders',
    'mailAccounts',
    'mailParticipants',
    'mailLinks',
    'mailWorkflowDeliveries',
  ])('%s has every index it declares', async (name) => {
    const have = await indexesOf(name);
    for (const want of declared(name)) expect(have).toContain(want);
  });

  it('a mail workflow is started once per mailbox and message: the deliveries table keeps one row for each', async () => {
    expect(declared('mailWorkflowDeliveries')).toContain('unique workflowKey,mailbox,messageKey');
  });

  it('the outbox keeps one row per Message-ID', async () => {
    expect(declared('mailOutbox')).toContain('unique messageId');
  });

  it('stores a (folder, uid) pair once, however often a batch is stored', async () => {
    const user = await app.db
      .getRepository('users')
      .create({ values: { nickname: 'idx', email: 'idx@nocobase.test' } });
    const account = await app.db.getRepository('mailAccounts').create({
      values: { userId: user.get('id'), provider: 'microsoft', address: 'idx@example.test', status: 'connected' },
    });
    const folder = await app.db
      .getRepository('mailFolders')
      .create({ values: { accountId: account.get('id'), path: 'INBOX', name: 'Inbox' } });
    const row = {
      accountId: account.get('id'),
      folderId: folder.get('id'),
      uid: 7,
      subject: 'once',
      threadKey: 't',
      subjectKey: 'once',
      date: new Date(),
    };
    const model = app.db.getModel('mailMessages');
    await model.bulkCreate([row, row] as never[], { ignoreDuplicates: true, hooks: false, validate: false });
    await model.bulkCreate([row] as never[], { ignoreDuplicates: true, hooks: false, validate: false });
    expect(await model.count({ where: { folderId: folder.get('id') } })).toBe(1);
  });
});
