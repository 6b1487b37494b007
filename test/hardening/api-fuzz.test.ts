/**
 * Wrong types and huge values in every parameter of the plugin's mail actions: each request must be answered with
 * a client error (or, where the value is simply ignored, success), never a server error, and the valid message
 * must be untouched afterwards.
 */
import type { MockServer } from '@nocobase/test';
import { deliver, getStack } from '../mail-stack/client';
import type { Agent } from '../helpers/mail-app';
import { connectedUser, readingApp, waitFor } from '../../src/server/sync/__tests__/helpers/reading-app';

jest.setTimeout(180_000);

const HOSTILE: Array<[string, unknown]> = [
  ['array', [1, 2]],
  ['object', { a: 1 }],
  ['operator object', { $ne: null }],
  ['operator string', '{"$gt":0}'],
  ['negative', -1],
  ['zero', 0],
  ['fraction', 1.5],
  ['huge number', 1e308],
  ['overflowing number text', '9'.repeat(400)],
  ['NaN text', 'NaN'],
  ['Infinity text', 'Infinity'],
  ['boolean', true],
  ['null', null],
  ['empty', ''],
  ['SQL', "1' OR '1'='1"],
  ['path', '../../etc/passwd'],
  ['NUL', 'a\u0000b'],
  ['100 KB text', 'x'.repeat(100_000)],
  ['emoji and RTL', '👩‍👩‍👧 ‮مرحبا'],
];

interface Ids {
  userId: number;
  accountId: number;
  folderId: number;
  messageId: number;
  part: string;
}

/** Parameters each action reads, and the values a valid request would carry (so one field at a time is hostile). */
function cases(ids: Ids) {
  const aRecord = { collection: 'users', filterByTk: ids.userId, addressFields: 'email' };
  const recordFields = ['collection', 'filterByTk', 'addressFields', 'domainFields', 'direction', 'hasAttachments'];
  return [
    {
      action: 'mailMessages:list',
      base: { folderId: ids.folderId },
      fields: [
        'accountId',
        'folderId',
        'unread',
        'flagged',
        'hasAttachments',
        'from',
        'dateFrom',
        'dateTo',
        'q',
        'threadKey',
        'page',
        'pageSize',
        'threads',
      ],
    },
    {
      action: 'mailMessages:get',
      base: { filterByTk: ids.messageId, markRead: false },
      fields: ['filterByTk', 'markRead'],
    },
    {
      action: 'mailMessages:attachment',
      base: { filterByTk: ids.messageId, part: ids.part },
      fields: ['filterByTk', 'part', 'inline'],
    },
    { action: 'mailMessages:recipients', base: { filterByTk: ids.messageId }, fields: ['filterByTk'] },
    { action: 'mailMessages:markUnread', base: { filterByTk: ids.messageId }, fields: ['filterByTk', 'ids'] },
    { action: 'mailMessages:flag', base: { filterByTk: ids.messageId }, fields: ['filterByTk', 'ids'] },
    {
      action: 'mailMessages:move',
      base: { filterByTk: ids.messageId, folderId: ids.folderId },
      fields: ['filterByTk', 'folderId'],
    },
    { action: 'mailMessages:delete', base: { filterByTk: 2_000_000_000 }, fields: ['filterByTk', 'ids'] },
    {
      action: 'mailMessages:send',
      base: { accountId: ids.accountId, to: ['nobody@example.net'], subject: 's', text: 't' },
      fields: ['accountId', 'to', 'cc', 'bcc', 'subject', 'text', 'html', 'mode', 'sourceMessageId', 'attachments'],
      bodyOnly: true,
      skipValid: true,
    },
    {
      action: 'mailMessages:saveDraft',
      base: { accountId: ids.accountId, subject: 's' },
      fields: ['accountId', 'to', 'subject', 'html', 'mode', 'sourceMessageId'],
      bodyOnly: true,
    },
    {
      action: 'mailMessages:prepare',
      base: { sourceMessageId: ids.messageId, mode: 'reply' },
      fields: ['sourceMessageId', 'mode'],
    },
    { action: 'mailFolders:list', base: {}, fields: ['accountId'] },
    { action: 'mailAccounts:sync', base: { filterByTk: ids.accountId }, fields: ['filterByTk', 'olderDays'] },
    { action: 'mailAccounts:syncStatus', base: {}, fields: ['filterByTk'] },
    { action: 'mailOutbox:list', base: {}, fields: ['page', 'pageSize', 'state', 'accountId'] },
    { action: 'mailOutbox:get', base: { filterByTk: 1 }, fields: ['filterByTk'] },
    { action: 'mailOutbox:retry', base: { filterByTk: 1 }, fields: ['filterByTk'] },
    {
      action: 'mailMessages:serverSearch',
      base: { folderId: ids.folderId, query: 'fuzz' },
      fields: ['accountId', 'folderId', 'query'],
    },
    {
      action: 'mailFolders:setPrivate',
      base: { filterByTk: ids.folderId, private: false },
      fields: ['filterByTk', 'private'],
    },
    {
      action: 'mailAccounts:setSharing',
      base: { filterByTk: ids.accountId, level: 'none' },
      fields: ['filterByTk', 'level'],
    },
    { action: 'mailAccounts:accessLog', base: {}, fields: ['filterByTk'] },
    {
      action: 'mailRecords:list',
      base: aRecord,
      fields: [...recordFields, 'dateFrom', 'dateTo', 'search', 'excludeOwnDomain', 'page', 'pageSize'],
    },
    {
      action: 'mailRecords:get',
      base: { ...aRecord, messageId: ids.messageId },
      fields: [...recordFields, 'messageId'],
    },
    {
      action: 'mailRecords:attachment',
      base: { ...aRecord, messageId: ids.messageId, part: ids.part },
      fields: ['messageId', 'part', 'collection', 'filterByTk'],
    },
    {
      action: 'mailLinks:link',
      base: { messageId: ids.messageId, collection: 'users', recordKey: ids.userId },
      fields: ['messageId', 'collection', 'recordKey', 'whole'],
    },
    { action: 'mailLinks:listForMessage', base: { messageId: ids.messageId }, fields: ['messageId'] },
    {
      action: 'mailLinks:unlink',
      base: { messageId: ids.messageId, collection: 'users', recordKey: ids.userId },
      fields: ['linkId', 'messageId', 'collection', 'recordKey', 'whole'],
    },
    { action: 'mailAllMail:mailboxes', base: {}, fields: ['page', 'pageSize'] },
    { action: 'mailAllMail:list', base: { accountId: ids.accountId }, fields: ['accountId', 'q', 'page', 'pageSize'] },
    {
      action: 'mailAllMail:attachment',
      base: { filterByTk: ids.messageId, part: ids.part },
      fields: ['filterByTk', 'part'],
    },
  ];
}

describe('fuzzed API input answers 4xx, never 500', () => {
  let app: MockServer;
  let agent: Agent;
  let ids: Ids;

  beforeAll(async () => {
    ({ app } = await readingApp('full', {}, { smtpHost: 'localhost', smtpPort: getStack().smtp.port }));
    const user = await connectedUser(app);
    agent = user.agent;
    await deliver({
      to: user.email,
      subject: 'fuzz target',
      text: 'x',
      attachments: [{ filename: 'a.txt', content: 'hello' }],
    });
    let folderId = 0;
    const message = await waitFor(
      async () => {
        await agent.resource('mailAccounts').sync({ filterByTk: user.accountId });
        const folders = (await agent.resource('mailFolders').list()).body.data as Array<{ id: number; role: string }>;
        folderId = folders.find((f) => f.role === 'inbox')?.id ?? 0;
        const list = (await agent.resource('mailMessages').list({ folderId })).body.data as Array<{
          id: number;
          subject: string;
          attachments: Array<{ part: string }>;
        }>;
        return list.find((m) => m.subject === 'fuzz target');
      },
      { what: 'the target message' },
    );
    ids = {
      userId: Number(user.user.get('id')),
      accountId: user.accountId,
      folderId,
      messageId: message.id,
      part: message.attachments[0].part,
    };
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('every action with a hostile value in any one parameter, in the query and in the body', async () => {
    const failures: string[] = [];
    for (const c of cases(ids)) {
      for (const field of c.fields) {
        for (const [label, value] of HOSTILE) {
          const params = { ...c.base, [field]: value };
          const requests = [
            ...(c.bodyOnly || label === '100 KB text' ? [] : [() => agent.post(`/${c.action}`).query(params)]),
            () =>
              agent
                .post(`/${c.action}`)
                .send({ ...('filterByTk' in params ? { filterByTk: params.filterByTk } : {}), values: params }),
          ];
          for (const request of requests) {
            const res = await request();
            if (res.status >= 500)
              failures.push(
                `${c.action} ${field}=${label}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`,
              );
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('clearly invalid values answer 4xx with a message', async () => {
    const invalid: Array<[string, Record<string, unknown>]> = [
      ['mailMessages:list', { folderId: ids.folderId, pageSize: 1e9 }],
      ['mailMessages:list', { folderId: ids.folderId, page: -1 }],
      ['mailMessages:list', { folderId: ids.folderId, dateFrom: 'yesterday-ish' }],
      ['mailMessages:list', { folderId: ids.folderId, q: 'x'.repeat(5000) }],
      ['mailMessages:list', { folderId: ids.folderId, unread: 'perhaps' }],
      ['mailMessages:list', { folderId: '9'.repeat(400) }],
      ['mailMessages:get', { filterByTk: 'NaN' }],
      ['mailMessages:get', { filterByTk: '9'.repeat(400) }],
      ['mailMessages:attachment', { filterByTk: ids.messageId, part: '../../1' }],
      ['mailMessages:move', { filterByTk: ids.messageId, folderId: -1 }],
      ['mailAccounts:sync', { filterByTk: ids.accountId, olderDays: 1e9 }],
      ['mailRecords:list', { collection: 'main.users', filterByTk: ids.userId, addressFields: 'email' }],
      ['mailRecords:list', { collection: 'users', filterByTk: 'a\u0000b', addressFields: 'email' }],
      ['mailLinks:unlink', { messageId: ids.messageId, collection: 'users', recordKey: 'a\u0000b' }],
    ];
    for (const [action, params] of invalid) {
      const res = await agent.post(`/${action}`).query(params);
      expect([action, JSON.stringify(params).slice(0, 80), res.status >= 400 && res.status < 500]).toEqual([
        action,
        JSON.stringify(params).slice(0, 80),
        true,
      ]);
    }
    const send = await agent
      .post('/mailMessages:send')
      .send({ values: { accountId: ids.accountId, to: ['not an address'], subject: 'x'.repeat(100_000), text: 't' } });
    expect(send.status).toBeGreaterThanOrEqual(400);
    expect(send.status).toBeLessThan(500);
  });

  it('leaves the real message as it was', async () => {
    const res = await agent.resource('mailMessages').get({ filterByTk: ids.messageId, markRead: false });
    expect(res.status).toBe(200);
    expect(res.body.data.subject).toBe('fuzz target');
  });
});
