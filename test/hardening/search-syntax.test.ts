/**
 * Hostile search syntax in every place a person's query is read (the mailbox list, a record's mail, the server
 * search), on SQLite or PostgreSQL: other query languages' operators, lone quotes and operators, controls, emoji,
 * right-to-left text and words longer than any index keeps. Each is answered 200, or 400 with a message; never 500.
 */
import type { MockServer } from '@nocobase/test';
import { deliver, getStack } from '../mail-stack/client';
import type { Agent } from '../helpers/mail-app';
import { connectedUser, readingApp, waitFor } from '../../src/server/sync/__tests__/helpers/reading-app';

jest.setTimeout(240_000);

const QUERIES: string[] = [
  '"',
  '"'.repeat(200),
  '"a" "',
  'from:',
  'from:""',
  'subject:"',
  '-',
  '--',
  '- -',
  '-"',
  '*',
  '*'.repeat(200),
  '-'.repeat(200),
  'NEAR(a b)',
  'NEAR(',
  'AND OR NOT',
  'a AND OR b',
  '^start',
  'col:abc',
  '{subject}:x',
  '!a',
  'a & b',
  'a | b',
  'a:*',
  'a <-> b',
  "'a' & !'b'",
  '\\',
  '\\"',
  'a\\"b',
  'a\u0000b',
  '"a\u0000b"',
  '"a\r\nb"',
  '\u0000',
  '👩‍👩‍👧',
  '‮مرحبا',
  'שלום עולם',
  'x'.repeat(3000),
  `"${'y'.repeat(2500)} z"`,
  `from:${'w'.repeat(2500)}`,
  'ǅ Ⅻ ² ½ ﬁ',
  'is:unread is:read',
  'after:2024-13-01',
  'before:0000-01-01',
  'after:9999-12-31',
  'subject:fuzz -subject:fuzz',
  '%_%',
  "'; DROP TABLE x; --",
];

describe('hostile search syntax answers 200 or 400, never 500', () => {
  let app: MockServer;
  let agent: Agent;
  let accountId: number;
  let folderId: number;
  let userId: number;

  beforeAll(async () => {
    ({ app } = await readingApp('full', {}, { smtpHost: 'localhost', smtpPort: getStack().smtp.port }));
    const user = await connectedUser(app);
    agent = user.agent;
    accountId = user.accountId;
    userId = Number(user.user.get('id'));
    await deliver({ to: user.email, subject: 'fuzz target', text: 'x', from: 'Probe <probe@example.test>' });
    await waitFor(
      async () => {
        await agent.resource('mailAccounts').sync({ filterByTk: accountId });
        const folders = (await agent.resource('mailFolders').list()).body.data as Array<{ id: number; role: string }>;
        folderId = folders.find((f) => f.role === 'inbox')?.id ?? 0;
        const list = (await agent.resource('mailMessages').list({ folderId, q: 'fuzz' })).body.data as Array<{
          subject: string;
        }>;
        return list.find((m) => m.subject === 'fuzz target');
      },
      { what: 'the target message' },
    );
  });
  afterAll(async () => {
    await app?.destroy();
  });

  const requests = (
    q: string,
  ): Array<[string, () => Promise<{ status: number; body: { errors?: Array<{ message?: string }> } }>]> => [
    ['mailMessages:list', () => agent.post('/mailMessages:list').send({ values: { folderId, q } })],
    ['mailMessages:list all', () => agent.post('/mailMessages:list').send({ values: { q } })],
    [
      'mailRecords:list',
      () =>
        agent.post('/mailRecords:list').send({
          values: { collection: 'users', filterByTk: userId, addressFields: 'email', search: q },
        }),
    ],
    [
      'mailMessages:serverSearch',
      () => agent.post('/mailMessages:serverSearch').send({ values: { accountId, query: q } }),
    ],
  ];

  it('each query, in each place', async () => {
    const failures: string[] = [];
    for (const q of QUERIES) {
      for (const [place, request] of requests(q)) {
        const res = await request();
        const message = res.body?.errors?.[0]?.message;
        if (res.status >= 500 || (res.status >= 400 && !message))
          failures.push(
            `${place} ${JSON.stringify(q).slice(0, 40)}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });
});
