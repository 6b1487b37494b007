import type { MockServer } from '@nocobase/test';
import { connectedUser, listed, postForm, readFolder, sendingApp, startSync, waitFor } from './helpers/sending-app';

describe('mailMessages:send through Postfix with XOAUTH2', () => {
  let app: MockServer;
  let admin: Awaited<ReturnType<typeof sendingApp>>['admin'];
  let a: Awaited<ReturnType<typeof connectedUser>>;
  let b: Awaited<ReturnType<typeof connectedUser>>;
  let c: Awaited<ReturnType<typeof connectedUser>>;
  let d: Awaited<ReturnType<typeof connectedUser>>;

  beforeAll(async () => {
    ({ app, admin } = await sendingApp());
    [a, b, c, d] = [
      await connectedUser(app, 'alice'),
      await connectedUser(app, 'bob'),
      await connectedUser(app, 'carol'),
      await connectedUser(app, 'dave'),
    ];
    startSync(app);
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('delivers UTF-8 subject and body, cc, bcc and two attachments intact; bcc is in no copy', async () => {
    const pdf = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
    const csv = Buffer.from('name;city\nJürgen;Köln\n李;北京\n', 'utf8');
    const subject = 'Quartalsbericht – 会議 ✓ Ωμέγα';
    const res = await postForm(
      a.agent,
      'mailMessages:send',
      {
        accountId: a.accountId,
        to: `Bob Büttner <${b.email}>`,
        cc: [c.email],
        bcc: [{ name: 'Dave', address: d.email }],
        subject,
        html: '<p>Grüße aus Köln — ça marche! 日本語 🙂</p><script>alert(1)</script><p>Second <b>paragraph</b></p>',
      },
      [
        { name: 'Präsentation Q3.pdf', content: pdf, contentType: 'application/pdf' },
        { name: 'données.csv', content: csv, contentType: 'text/csv' },
      ],
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ state: 'sent', attempts: 1, failureReason: null, subject });
    const messageId = res.body.data.messageId as string;
    expect(messageId).toMatch(/^<[0-9a-f-]{36}@example\.test>$/);

    for (const who of [b, c, d]) {
      const [got] = await waitFor(
        async () => {
          const list = await readFolder(who.email);
          return list.length ? list : null;
        },
        { what: `mail for ${who.email}` },
      );
      const m = got.parsed;
      expect(m.messageId).toBe(messageId);
      expect(m.subject).toBe(subject);
      expect(m.from?.value).toEqual([{ name: a.displayName, address: a.email }]);
      expect(m.to && !Array.isArray(m.to) && m.to.value).toEqual([{ name: 'Bob Büttner', address: b.email }]);
      expect(m.cc && !Array.isArray(m.cc) && m.cc.value.map((x) => x.address)).toEqual([c.email]);
      // RFC 5322 §3.6.3: blind copies are not in the text any recipient (the Bcc one included) receives.
      expect(m.bcc).toBeUndefined();
      expect(got.raw.toString('latin1')).not.toContain(d.email);
      expect(m.html).toContain('Grüße aus Köln — ça marche! 日本語 🙂');
      expect(m.html).not.toContain('script');
      expect(m.text).toContain('Grüße aus Köln — ça marche! 日本語 🙂');
      expect(m.text).toContain('Second paragraph');
      expect(m.attachments.map((x) => [x.filename, x.contentType])).toEqual([
        ['Präsentation Q3.pdf', 'application/pdf'],
        ['données.csv', 'text/csv'],
      ]);
      expect(Buffer.compare(m.attachments[0].content, pdf)).toBe(0);
      expect(Buffer.compare(m.attachments[1].content, csv)).toBe(0);
    }

    // The server filed its copy in Sent Items (as Outlook does): the Sent listing shows it after a sync.
    const sent = await waitFor(
      async () => {
        const rows = await listed(a.agent, a.accountId, 'sent');
        return rows.find((r) => r.messageId === messageId);
      },
      { what: 'the Sent copy in the listing' },
    );
    expect(sent).toMatchObject({ subject, hasAttachments: true });
  });

  it('takes base64 attachments in a JSON body too, and serves the stored file back to its owner only', async () => {
    const bytes = Buffer.from('%PDF-1.4 tiny');
    const res = await a.agent.resource('mailMessages').send({
      values: {
        accountId: a.accountId,
        to: b.email,
        subject: 'JSON upload',
        html: 'x',
        attachments: [
          { filename: '../../etc/Rechnung.pdf', contentType: 'application/pdf', content: bytes.toString('base64') },
        ],
      },
    });
    expect(res.status).toBe(200);
    const [file] = res.body.data.attachments;
    expect(file).toMatchObject({ filename: 'Rechnung.pdf', contentType: 'application/pdf', size: bytes.length });
    const got = await waitFor(async () =>
      (await readFolder(b.email)).find((m) => m.parsed.messageId === res.body.data.messageId),
    );
    expect(Buffer.compare(got.parsed.attachments[0].content, bytes)).toBe(0);

    const download = await a.agent
      .get(`/mailOutbox:attachment?filterByTk=${res.body.data.id}&attachmentId=${file.id}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toContain('Rechnung.pdf');
    expect(Buffer.compare(download.body, bytes)).toBe(0);
    expect(
      (await b.agent.get(`/mailOutbox:attachment?filterByTk=${res.body.data.id}&attachmentId=${file.id}`)).status,
    ).toBe(404);
  });

  it('Sent copy: none appended while the server files its own (Outlook); appended, marked read, for servers that do not', async () => {
    const sentCopies = async (messageId: string) =>
      (await readFolder(a.email, 'Sent Items')).filter((m) => m.parsed.messageId === messageId);
    const send = async (subject: string) => {
      const res = await a.agent
        .resource('mailMessages')
        .send({ values: { accountId: a.accountId, to: b.email, subject, html: 'x' } });
      expect(res.body.data.state).toBe('sent');
      return res.body.data.messageId as string;
    };
    const outlookLike = await send('Server copy only');
    await waitFor(async () => (await sentCopies(outlookLike)).length > 0, { what: "the server's copy" });
    await new Promise((r) => setTimeout(r, 500));
    const only = await sentCopies(outlookLike);
    expect(only).toHaveLength(1);
    // The stand-in's own copy arrives unread; the plugin's would be \Seen.
    expect(only[0].flags.has('\\Seen')).toBe(false);

    expect((await admin.resource('mailSettings').update({ values: { appendSentCopy: true } })).status).toBe(200);
    try {
      const appended = await send('Plugin copy too');
      const copies = await waitFor(
        async () => {
          const list = await sentCopies(appended);
          return list.length === 2 ? list : null;
        },
        { what: 'both copies' },
      );
      expect(copies.filter((m) => m.flags.has('\\Seen'))).toHaveLength(1);
    } finally {
      await admin.resource('mailSettings').update({ values: { appendSentCopy: false } });
    }
  });
});
