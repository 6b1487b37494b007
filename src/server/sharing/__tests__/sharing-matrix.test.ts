/**
 * The sharing matrix: owners at each level × viewers with or without the shared-mail snippet, on a record they can
 * or cannot view → exactly the fields the level allows, and nothing else, in mailRecords:list, :get and :attachment.
 */
import type { MockServer } from '@nocobase/test';
import type { Agent } from '../../../../test/helpers/mail-app';
import { createCustomer, defineCustomers, userWithRole } from '../../../../test/helpers/records-app';
import { SHARED_MAIL_ACL_SNIPPET } from '../../../shared/constants';
import type { MailFolderView } from '../../../shared/mail-reading-types';
import type { RecordMessageItem } from '../../../shared/mail-records';
import type { MailAccessLogEntry, SharedMessageView } from '../../../shared/shared-mail-types';
import type { SharingLevel } from '../../../shared/sharing';
import { RECORD_ITEM_KEYS } from '../../records/__tests__/helpers/record-item-keys';
import { MESSAGES_COLLECTION } from '../../store/collection-names';
import { connectedUser, readingApp, seed, waitFor } from '../../sync/__tests__/helpers/reading-app';

jest.setTimeout(300_000);

const LEVELS: SharingLevel[] = ['private', 'metadata', 'subject', 'full'];
const BUYER = 'buyer@acme.test';
const GET_BASE = ['cc', 'date', 'from', 'id', 'level', 'mailbox', 'to'];
const GET_KEYS: Record<string, string[]> = {
  metadata: GET_BASE,
  subject: [...GET_BASE, 'snippet', 'subject'],
  full: [
    ...GET_BASE,
    'attachments',
    'bodyError',
    'hasAttachments',
    'hasRemoteContent',
    'html',
    'snippet',
    'subject',
    'text',
  ],
};

type Owner = { agent: Agent; accountId: number; email: string; level: SharingLevel; quoteId: number };

describe('sharing matrix: owner level × viewer (snippet, record) → exactly the allowed fields', () => {
  let app: MockServer;
  let admin: Agent;
  let customer: number;
  const owners: Record<string, Owner> = {};
  let colleague: Agent;
  let noSnippet: Agent;
  let cannotView: Agent;
  let privateMessageId: number;
  let personalFolderMessageId: number;

  const params = (extra: Record<string, unknown> = {}) => ({
    collection: 'customers',
    filterByTk: customer,
    addressFields: ['email'],
    ...extra,
  });
  const list = (as: Agent) => as.resource('mailRecords').list(params());
  const get = (as: Agent, messageId: number) => as.resource('mailRecords').get(params({ messageId }));
  const attachment = (as: Agent, messageId: number) =>
    as.get('/mailRecords:attachment').query({ ...params({ messageId, part: '2' }), addressFields: 'email' });
  const rowId = async (subject: string) =>
    Number(
      (
        (await app.db
          .getModel(MESSAGES_COLLECTION)
          .findOne({ where: { subject }, attributes: ['id'], raw: true })) as unknown as {
          id: number;
        }
      ).id,
    );
  const grantSnippet = async (role: string) =>
    app.db.getRepository('roles').update({ filterByTk: role, values: { snippets: [SHARED_MAIL_ACL_SNIPPET] } });

  beforeAll(async () => {
    ({ app, admin } = await readingApp('full'));
    await defineCustomers(app);
    customer = await createCustomer(app, { name: 'ACME', email: BUYER });
    const stamp = Date.now();
    for (const level of LEVELS) {
      const email = `owner-${level}-${stamp}@example.test`;
      const inbox = [
        {
          subject: `Quote ${level}`,
          from: `Buyer <${BUYER}>`,
          to: email,
          // The snippet (subject level) holds the first words only; the price is further down, in the body.
          text: `Body ${level}. ${'Terms and conditions apply. '.repeat(40)}The price is 42.`,
          attachments: [
            { filename: `${level}.pdf`, content: Buffer.from(`%PDF-1.4 ${level}`), contentType: 'application/pdf' },
          ],
        },
      ];
      if (level === 'full')
        inbox.push({
          subject: 'Doctor appointment',
          from: `Buyer <${BUYER}>`,
          to: email,
          text: 'private',
          headers: { Sensitivity: 'Private' },
        } as never);
      await seed(email, 'INBOX', inbox);
      if (level === 'full')
        await seed(email, 'Personal', [{ subject: 'Personal note', from: `Buyer <${BUYER}>`, to: email }]);
      const owner = await connectedUser(app, email);
      const expected = level === 'full' ? 3 : 1;
      await waitFor(async () => (await owner.agent.resource('mailMessages').list()).body.data.length === expected, {
        what: `${level} owner's first sync`,
      });
      const res = await owner.agent
        .resource('mailAccounts')
        .setSharing({ filterByTk: owner.accountId, values: { level } });
      expect(res.status).toBe(200);
      owners[level] = { ...owner, level, quoteId: await rowId(`Quote ${level}`) };
    }
    const folders = (await owners.full.agent.resource('mailFolders').list()).body.data as MailFolderView[];
    const personal = folders.find((f) => f.path === 'Personal')!;
    await owners.full.agent.resource('mailFolders').setPrivate({ filterByTk: personal.id, values: { private: true } });
    privateMessageId = await rowId('Doctor appointment');
    personalFolderMessageId = await rowId('Personal note');

    const viewer = await userWithRole(app, { resources: [{ name: 'customers' }] });
    await grantSnippet(viewer.role);
    colleague = viewer.agent;
    noSnippet = (await userWithRole(app, { resources: [{ name: 'customers' }] })).agent;
    const blind = await userWithRole(app, { strategy: [] });
    await grantSnippet(blind.role);
    cannotView = blind.agent;
  });

  afterAll(async () => {
    await app?.destroy();
  });

  it('list: a colleague with the snippet sees each shared mailbox at its level, nothing private', async () => {
    const res = await list(colleague);
    expect(res.status).toBe(200);
    const rows = res.body.data as RecordMessageItem[];
    expect(rows.map((r) => r.level).sort()).toEqual(['full', 'metadata', 'subject']);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(RECORD_ITEM_KEYS[row.level]);
      expect(row.accountId).toBe(owners[row.level].accountId);
      // Whose mail it is, by name: the owner chose to share it.
      expect(row.mailboxOwnerName).toMatch(/^member-/);
    }
    expect(JSON.stringify(rows)).not.toMatch(/Quote private|Doctor|Personal note|Quote metadata/);
  });

  it('list: without the snippet, only own mail (none here); a record they cannot view, 403', async () => {
    const res = await list(noSnippet);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    const blind = await list(cannotView);
    expect(blind.status).toBe(403);
    expect(JSON.stringify(blind.body)).not.toMatch(/Quote/);
  });

  it.each(['metadata', 'subject', 'full'])(
    'get at %s: exactly the allowed fields, with whose mailbox it is',
    async (level) => {
      const owner = owners[level];
      const res = await get(colleague, owner.quoteId);
      expect(res.status).toBe(200);
      const view = res.body.data as SharedMessageView;
      expect(Object.keys(view).sort()).toEqual(GET_KEYS[level].sort());
      expect(view.mailbox).toMatchObject({ accountId: owner.accountId, address: owner.email });
      expect(view.mailbox.ownerName).toMatch(/^member-/);
      expect(view.level).toBe(level);
      if (level === 'full') expect(view.text).toContain('The price is 42.');
      else expect(JSON.stringify(view)).not.toMatch(/price is 42|\.pdf/i);
      if (level === 'metadata') expect(JSON.stringify(view)).not.toMatch(/Quote/);
    },
  );

  it('search and the attachments filter look only into mail shared in full: they never tell what a level withholds', async () => {
    const levelsFound = async (extra: Record<string, unknown>) => {
      const res = await colleague.resource('mailRecords').list(params(extra));
      expect(res.status).toBe(200);
      return (res.body.data as RecordMessageItem[]).map((r) => r.level).sort();
    };
    // Every quote's subject says "Quote" (metadata withholds subjects) and every quote has a PDF (only full shows
    // attachments): found only where the level shows them all.
    expect(await levelsFound({ search: 'Quote' })).toEqual(['full']);
    expect(await levelsFound({ search: 'has:attachment' })).toEqual(['full']);
    expect(await levelsFound({ hasAttachments: true })).toEqual(['full']);
    expect(await levelsFound({ hasAttachments: false })).toEqual([]);
    // Without either, every shared level is listed as before.
    expect(await levelsFound({})).toEqual(['full', 'metadata', 'subject']);
  });

  it('attachment: only at full; subject and metadata say the owner shares at that level', async () => {
    const file = await attachment(colleague, owners.full.quoteId);
    expect(file.status).toBe(200);
    expect(Buffer.from(file.body).toString()).toContain('%PDF-1.4 full');
    for (const level of ['subject', 'metadata']) {
      const res = await attachment(colleague, owners[level].quoteId);
      expect(res.status).toBe(403);
      expect(res.body.errors[0].message).toMatch(new RegExp(`at the ${level} level .*attachments are not shared`));
    }
  });

  it('a private mailbox, a private message and a private folder are 404 through get and attachment', async () => {
    for (const id of [owners.private.quoteId, privateMessageId, personalFolderMessageId]) {
      expect((await get(colleague, id)).status).toBe(404);
      expect((await attachment(colleague, id)).status).toBe(404);
    }
  });

  it('without the snippet: 404 for every colleague message; without view on the record: 403', async () => {
    for (const level of ['metadata', 'subject', 'full']) {
      expect((await get(noSnippet, owners[level].quoteId)).status).toBe(404);
      expect((await attachment(noSnippet, owners[level].quoteId)).status).toBe(404);
      expect((await get(cannotView, owners[level].quoteId)).status).toBe(403);
      expect((await attachment(cannotView, owners[level].quoteId)).status).toBe(403);
    }
  });

  it('shared mail never opens through the mailbox routes', async () => {
    expect((await colleague.resource('mailMessages').get({ filterByTk: owners.full.quoteId })).status).toBe(404);
    expect((await colleague.resource('mailMessages').list({ accountId: owners.full.accountId })).status).toBe(404);
  });

  it("the owner's access log names the colleague's reads through the record", async () => {
    const log = (await owners.full.agent.resource('mailAccounts').accessLog()).body.data as MailAccessLogEntry[];
    expect(log.length).toBeGreaterThanOrEqual(2);
    expect(log.every((e) => e.via === 'record' && e.messageId === owners.full.quoteId)).toBe(true);
    expect(log.map((e) => e.action)).toEqual(expect.arrayContaining(['get', 'attachment']));
  });

  it("the admin's maximum cuts every mailbox down, in the list and the reader", async () => {
    expect((await admin.resource('mailSettings').update({ values: { sharingMaxLevel: 'metadata' } })).status).toBe(200);
    const rows = (await list(colleague)).body.data as RecordMessageItem[];
    expect(rows.map((r) => r.level)).toEqual(['metadata', 'metadata', 'metadata']);
    expect(JSON.stringify(rows)).not.toMatch(/Quote/);
    const view = (await get(colleague, owners.full.quoteId)).body.data as SharedMessageView;
    expect(Object.keys(view).sort()).toEqual(GET_KEYS.metadata.sort());
    expect((await attachment(colleague, owners.full.quoteId)).status).toBe(403);
    expect((await admin.resource('mailSettings').update({ values: { sharingMaxLevel: 'private' } })).status).toBe(200);
    expect((await list(colleague)).body.data).toEqual([]);
    await admin.resource('mailSettings').update({ values: { sharingMaxLevel: null } });
  });
});
