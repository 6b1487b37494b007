import type { MockServer } from '@nocobase/test';
import { deliver } from '../../../../test/mail-stack/client';
import { connectedUser, listed, postForm, readFolder, sendingApp, startSync, waitFor } from './helpers/sending-app';

describe('reply all and forward of a synced message', () => {
  let app: MockServer;
  let a: Awaited<ReturnType<typeof connectedUser>>;
  let b: Awaited<ReturnType<typeof connectedUser>>;
  let c: Awaited<ReturnType<typeof connectedUser>>;
  let d: Awaited<ReturnType<typeof connectedUser>>;
  const report = Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 13) % 256));
  let original: { messageId: string; id: number };

  beforeAll(async () => {
    ({ app } = await sendingApp());
    [a, b, c, d] = [
      await connectedUser(app, 'alice'),
      await connectedUser(app, 'bob'),
      await connectedUser(app, 'carol'),
      await connectedUser(app, 'dave'),
    ];
    startSync(app);
    const sent = await postForm(
      a.agent,
      'mailMessages:send',
      {
        accountId: a.accountId,
        to: b.email,
        cc: c.email,
        subject: 'Budget 2026',
        html: '<p>Numbers attached. Thoughts?</p>',
      },
      [
        {
          name: 'Bericht.xlsx',
          content: report,
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        },
      ],
    );
    expect(sent.status).toBe(200);
    const inBob = await waitFor(
      async () => (await listed(b.agent, b.accountId, 'inbox')).find((m) => m.messageId === sent.body.data.messageId),
      { what: "the original in Bob's list" },
    );
    original = { messageId: sent.body.data.messageId, id: Number(inBob.id) };
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('reply all goes to the sender and the other recipients, threads in both mailboxes, and marks the original answered', async () => {
    const prepared = await b.agent.resource('mailMessages').prepare({ filterByTk: original.id, mode: 'replyAll' });
    expect(prepared.status).toBe(200);
    expect(prepared.body.data).toMatchObject({
      to: [{ address: a.email }],
      cc: [{ address: c.email }],
      subject: 'Re: Budget 2026',
      inReplyTo: original.messageId,
      references: [original.messageId],
    });

    const res = await b.agent
      .resource('mailMessages')
      .send({ values: { mode: 'replyAll', sourceMessageId: original.id, html: '<p>Agreed, ship it.</p>' } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ state: 'sent', accountId: b.accountId, subject: 'Re: Budget 2026' });
    const replyId = res.body.data.messageId as string;

    // What a standard client sees in Alice's Inbox: the References chain and the quote.
    const [reply] = await waitFor(
      async () => {
        const got = (await readFolder(a.email)).filter((m) => m.parsed.messageId === replyId);
        return got.length ? got : null;
      },
      { what: "the reply in Alice's Inbox" },
    );
    expect(reply.parsed.subject).toBe('Re: Budget 2026');
    expect(reply.parsed.inReplyTo).toBe(original.messageId);
    expect([reply.parsed.references].flat()).toEqual([original.messageId]);
    expect(reply.parsed.to && !Array.isArray(reply.parsed.to) && reply.parsed.to.value.map((x) => x.address)).toEqual([
      a.email,
    ]);
    expect(reply.parsed.cc && !Array.isArray(reply.parsed.cc) && reply.parsed.cc.value.map((x) => x.address)).toEqual([
      c.email,
    ]);
    expect(reply.parsed.html).toMatch(
      /Agreed, ship it\.[\s\S]*wrote:[\s\S]*<blockquote type="cite"[^>]*>[\s\S]*Numbers attached\. Thoughts\?/,
    );
    expect(reply.parsed.text).toMatch(/Agreed, ship it\.[\s\S]*wrote:\n> Numbers attached\. Thoughts\?/);
    await waitFor(async () => (await readFolder(c.email)).some((m) => m.parsed.messageId === replyId), {
      what: 'the reply for Carol',
    });

    // In the plugin, Alice's sent original and Bob's reply are one conversation.
    const mine = await waitFor(
      async () => {
        const inbox = (await listed(a.agent, a.accountId, 'inbox')).find((m) => m.messageId === replyId);
        const sent = (await listed(a.agent, a.accountId, 'sent')).find((m) => m.messageId === original.messageId);
        return inbox && sent ? { inbox, sent } : null;
      },
      { what: "both messages in Alice's lists" },
    );
    expect(mine.inbox.threadKey).toBe(mine.sent.threadKey);
    const threads = await a.agent.resource('mailMessages').list({ threads: true, pageSize: 50 });
    const thread = (threads.body.data as Array<Record<string, unknown>>).find(
      (t) => t.threadKey === mine.sent.threadKey,
    );
    expect(thread?.threadCount).toBe(2);

    // And Bob's own mailbox holds the reply in Sent, in the same conversation as the message it answers.
    const bobSent = await waitFor(
      async () => (await listed(b.agent, b.accountId, 'sent')).find((m) => m.messageId === replyId),
      { what: "Bob's Sent copy" },
    );
    const bobInbox = (await listed(b.agent, b.accountId, 'inbox')).find((m) => m.id === original.id);
    expect(bobSent.threadKey).toBe(bobInbox?.threadKey);

    // \Answered on the server and in the local copy.
    const [onServer] = (await readFolder(b.email)).filter((m) => m.parsed.messageId === original.messageId);
    expect(onServer.flags.has('\\Answered')).toBe(true);
    expect(bobInbox?.answered).toBe(true);
  });

  it('forward carries the original attachments, byte for byte, with the original below', async () => {
    const res = await b.agent
      .resource('mailMessages')
      .send({ values: { mode: 'forward', sourceMessageId: original.id, to: d.email, html: '<p>FYI</p>' } });
    expect(res.status).toBe(200);
    expect(res.body.data.attachments).toEqual([
      expect.objectContaining({ filename: 'Bericht.xlsx', size: report.length, inline: false }),
    ]);
    const [fwd] = await waitFor(
      async () => {
        const got = (await readFolder(d.email)).filter((m) => m.parsed.messageId === res.body.data.messageId);
        return got.length ? got : null;
      },
      { what: "the forward in Dave's Inbox" },
    );
    expect(fwd.parsed.subject).toBe('Fwd: Budget 2026');
    expect(fwd.parsed.inReplyTo).toBeUndefined();
    expect(fwd.parsed.html).toMatch(/FYI[\s\S]*Forwarded message[\s\S]*Subject: Budget 2026[\s\S]*Numbers attached/);
    expect(fwd.parsed.attachments.map((x) => x.filename)).toEqual(['Bericht.xlsx']);
    expect(Buffer.compare(fwd.parsed.attachments[0].content, report)).toBe(0);
  });

  it("another user's message cannot be replied to or forwarded: 404 and nothing is sent", async () => {
    const before = (await readFolder(d.email)).length;
    const res = await a.agent
      .resource('mailMessages')
      .send({ values: { accountId: a.accountId, mode: 'forward', sourceMessageId: original.id, to: d.email } });
    expect(res.status).toBe(404);
    expect(res.body.errors[0].message).toMatch(/No such message in your mailboxes/);
    expect((await a.agent.resource('mailMessages').prepare({ filterByTk: original.id, mode: 'forward' })).status).toBe(
      404,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect((await readFolder(d.email)).length).toBe(before);
    expect(
      await app.db.getRepository('mailOutbox').count({ filter: { userId: a.user.get('id'), mode: 'forward' } }),
    ).toBe(0);
  });

  it('a reply quotes an HTML message with its inline image carried along (cid:) and its remote image restored', async () => {
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d605a20000000049454e44ae426082',
      'hex',
    );
    const messageId = await deliver({
      from: `Alice <${a.email}>`,
      to: b.email,
      subject: 'Logo',
      html: '<p>Our logo: <img src="cid:logo@alice" alt="logo"> and <img src="https://cdn.example.net/banner.png" alt="banner"></p>',
      attachments: [{ filename: 'logo.png', content: png, contentType: 'image/png', cid: 'logo@alice' }],
    });
    const inBob = await waitFor(
      async () => (await listed(b.agent, b.accountId, 'inbox')).find((m) => m.messageId === messageId),
      { what: 'the HTML message' },
    );
    const res = await b.agent
      .resource('mailMessages')
      .send({ values: { mode: 'reply', sourceMessageId: inBob.id, html: '<p>Nice</p>' } });
    expect(res.status).toBe(200);
    expect(res.body.data.to).toEqual([{ name: 'Alice', address: a.email }]);
    const [reply] = await waitFor(
      async () => {
        const got = (await readFolder(a.email)).filter((m) => m.parsed.messageId === res.body.data.messageId);
        return got.length ? got : null;
      },
      { what: 'the reply' },
    );
    const image = reply.parsed.attachments.find((x) => x.contentType === 'image/png');
    expect(image?.cid).toBeTruthy();
    expect(Buffer.compare(image!.content, png)).toBe(0);
    // mailparser inlines cid: images as data: URLs in `html`; the raw text shows the reference itself.
    expect(reply.raw.toString('latin1')).toContain(`cid:${image!.cid}`);
    expect(reply.parsed.html).toContain('src="https://cdn.example.net/banner.png"');
    expect(reply.parsed.html).not.toContain('mailMessages:attachment');
  });
});
