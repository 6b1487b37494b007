/**
 * Hostile mail: a generated corpus of malformed and adversarial messages lands in a mailbox; the plugin's sync must
 * get through all of it, list every message with something sensible, open each without a server error, and return
 * nothing executable from `mailMessages:get` for any HTML attack vector, whatever the charset.
 */
import type { MockServer } from '@nocobase/test';
import type { ImapFlow } from 'imapflow';
import { parse } from 'parse5';
import type { Agent } from '../helpers/mail-app';
import type { MailMessageListItem, MailMessageView } from '../../src/shared/mail-reading-types';
import { connectedUser, otherClient, readingApp } from '../../src/server/sync/__tests__/helpers/reading-app';
import { executableParts } from './executable-parts';
import { hostileCorpus, HostileMessage, htmlMessage, HTML_VECTORS, utf7 } from './hostile-corpus';

jest.setTimeout(180_000);

describe('hostile input through sync and the message API', () => {
  let app: MockServer;
  let agent: Agent;
  let accountId: number;
  let other: ImapFlow;
  let inboxId: number;
  const corpus: HostileMessage[] = hostileCorpus();
  const vectors = Object.entries(HTML_VECTORS);
  const htmlMessages = [
    ...vectors.map(([name, html]) => htmlMessage(name, html)),
    // UTF-7 only turns into markup after charset decoding: sanitising before decoding would let it through.
    ...vectors.map(([name, html]) => htmlMessage(`${name}-utf7`, html, 'utf-7', utf7(html))),
  ];
  let listed: MailMessageListItem[];

  beforeAll(async () => {
    ({ app } = await readingApp('full'));
    const user = await connectedUser(app);
    ({ agent, accountId } = user);
    other = await otherClient(user.email);
    for (const m of [...corpus, ...htmlMessages]) await other.append('INBOX', m.raw, ['\\Seen']);
    const sync = await agent.resource('mailAccounts').sync({ filterByTk: accountId });
    expect(sync.status).toBe(200);
    expect(sync.body.data).toMatchObject({ lastError: null });
    const folders = (await agent.resource('mailFolders').list({ accountId })).body.data as Array<{
      id: number;
      role: string;
    }>;
    if (!folders.find((f) => f.role === 'inbox'))
      throw new Error(`no Inbox: sync ${JSON.stringify(sync.body)} folders ${JSON.stringify(folders)}`);
    inboxId = folders.find((f) => f.role === 'inbox')!.id;
    listed = [];
    for (let page = 1; ; page++) {
      const res = await agent.resource('mailMessages').list({ folderId: inboxId, pageSize: 100, page });
      expect(res.status).toBe(200);
      listed.push(...(res.body.data as MailMessageListItem[]));
      if (page >= res.body.meta.totalPage) break;
    }
  });

  afterAll(async () => {
    await other?.logout().catch(() => undefined);
    await app?.destroy();
  });

  it('lists every message of the corpus exactly once', () => {
    const byUid = new Map<number, number>();
    for (const m of listed) byUid.set(Number(m.uid), (byUid.get(Number(m.uid)) ?? 0) + 1);
    // Push (IDLE) and the requested sync both store the new mail; each message must still be one row.
    expect(listed.filter((m) => byUid.get(Number(m.uid))! > 1).map((m) => [m.uid, m.subject.slice(0, 50)])).toEqual([]);
    expect(listed).toHaveLength(corpus.length + htmlMessages.length);
    expect(new Set(listed.map((m) => m.id)).size).toBe(listed.length);
  });

  it('shows every row with a one-line subject, a valid date and a sender list', () => {
    for (const m of listed) {
      expect(typeof m.subject).toBe('string');
      // eslint-disable-next-line no-control-regex
      expect(m.subject).not.toMatch(/[\r\n\u0000]/);
      expect(Number.isNaN(new Date(m.date as unknown as string).getTime())).toBe(false);
      expect(Array.isArray(m.from)).toBe(true);
    }
  });

  it.each(
    hostileCorpus()
      .filter((m) => m.expect)
      .map((m) => [m.name, m.expect!] as const),
  )('%s: listed as expected', (_name, expected) => {
    const found = listed.filter((m) =>
      expected.subject ? m.subject === expected.subject : m.subject.includes(expected.subjectIncludes ?? ''),
    );
    expect(found).toHaveLength(1);
    if (expected.hasAttachments !== undefined) expect(found[0].hasAttachments).toBe(expected.hasAttachments);
  });

  it('keeps encoded line breaks out of the subject and sender name (no header injection into replies)', () => {
    const m = listed.find((x) => x.subject.startsWith('Invoice'))!;
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(JSON.stringify(m.from)).not.toMatch(/\\r|\\n/);
  });

  it('opens every message without a server error: a body, or a readable reason why not', async () => {
    const empty: string[] = [];
    for (const m of listed) {
      const res = await agent.resource('mailMessages').get({ filterByTk: m.id, markRead: false });
      expect([m.subject.slice(0, 60), res.status]).toEqual([m.subject.slice(0, 60), 200]);
      const view = res.body.data as MailMessageView;
      if (view.text === null && view.html === null && view.bodyError === null) empty.push(m.subject);
    }
    // A message of headers only has nothing to show; everything else shows something.
    expect(empty).toEqual(['Headers only']);
  });

  it('shows a multipart whose parts cannot be found as its raw text, saying why', async () => {
    for (const [subject, words] of [
      ['Multipart without boundary', 'Some text that belongs to no part.'],
      ['Boundary mismatch', 'never delimited properly'],
    ]) {
      const m = listed.find((x) => x.subject === subject)!;
      const view = (await agent.resource('mailMessages').get({ filterByTk: m.id, markRead: false })).body
        .data as MailMessageView;
      expect([subject, view.text]).toEqual([subject, expect.stringContaining(words)]);
      expect(view.html).toBeNull();
      expect(view.bodyError).toMatch(/boundary is missing or never appears/);
    }
  });

  it('downloads the zero-byte attachment as zero bytes, with a file name that is not a path', async () => {
    const empty = listed.find((m) => m.subject === 'Empty attachment')!;
    const res = await agent
      .get(`/mailMessages:attachment?filterByTk=${empty.id}&part=${encodeURIComponent(empty.attachments[0].part)}`)
      .buffer(true);
    expect(res.status).toBe(200);
    expect(Number(res.headers['content-length'] ?? 0)).toBe(0);
    const named = listed.find((m) => m.subject === 'Hostile file names')!;
    for (const a of named.attachments) {
      const r = await agent
        .get(`/mailMessages:attachment?filterByTk=${named.id}&part=${encodeURIComponent(a.part)}`)
        .buffer(true);
      expect(r.status).toBe(200);
      expect(r.headers['content-disposition']).not.toMatch(/[\r\n]|\.\.\/|"\/|filename="[^"]*\//);
      // An HTML attachment stays HTML, but is only ever downloaded, never rendered or sniffed in the app's origin.
      expect(r.headers['content-disposition']).toMatch(/^attachment;/);
      expect(r.headers['content-security-policy']).toMatch(/sandbox/);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('keeps no data-remote-* attribute a sender wrote, and offers "Show images" for the images of a style block', async () => {
    const open = async (subject: string) => {
      const m = listed.find((x) => x.subject === subject)!;
      return (await agent.resource('mailMessages').get({ filterByTk: m.id, markRead: false })).body
        .data as MailMessageView;
    };
    const smuggled = await open('HTML vector senderRemoteAttributes');
    expect(smuggled.html).not.toMatch(/data-remote-|image-set|evil\.example/);
    expect(smuggled.hasRemoteContent).toBe(false);
    const styled = await open('HTML vector styleBlockImages');
    expect(styled.hasRemoteContent).toBe(true);
    expect(styled.html).toContain(
      '<style data-remote-sheet=".hero{background:url(&quot;https://cdn.example/hero.png&quot;)}">.hero{background:none}</style>',
    );
  });

  it.each(htmlMessages.map((m) => [m.expect!.subject!] as const))(
    '%s: nothing executable in the returned HTML',
    async (subject) => {
      const m = listed.find((x) => x.subject === subject);
      expect(m).toBeDefined();
      const res = await agent.resource('mailMessages').get({ filterByTk: m!.id, markRead: false });
      expect(res.status).toBe(200);
      const html = (res.body.data as MailMessageView).html ?? '';
      expect(executableParts(parse(html))).toEqual([]);
    },
  );
});
