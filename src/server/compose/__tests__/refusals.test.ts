import type { MockServer } from '@nocobase/test';
import { connectedUser, postForm, readFolder, sendingApp } from './helpers/sending-app';

/** Bad requests get a 4xx that says what to fix, and leave nothing sent and nothing stored. */
describe('refused sends', () => {
  let app: MockServer;
  let a: Awaited<ReturnType<typeof connectedUser>>;
  let b: Awaited<ReturnType<typeof connectedUser>>;

  beforeAll(async () => {
    ({ app } = await sendingApp({ maxAttachmentMb: 1 }));
    a = await connectedUser(app, 'alice');
    b = await connectedUser(app, 'bob');
  });
  afterAll(async () => {
    await app?.destroy();
  });

  afterEach(async () => {
    // Nothing reached the recipient and nothing was stored in anyone's outbox.
    await new Promise((r) => setTimeout(r, 300));
    expect(await readFolder(b.email)).toHaveLength(0);
    expect(await app.db.getRepository('mailOutbox').count()).toBe(0);
    expect(await app.db.getRepository('mailOutboxFiles').count()).toBe(0);
  });

  const send = (agent: typeof a.agent, values: Record<string, unknown>) =>
    agent.resource('mailMessages').send({ values });

  it('invalid addresses: 400 naming each bad one and its field', async () => {
    const res = await send(a.agent, {
      accountId: a.accountId,
      to: [b.email, 'bob@'],
      cc: 'Carol <carol at example.test>',
      bcc: ['x@example.test\r\nBcc: spy@evil.example'],
      subject: 'Hi',
      html: 'x',
    });
    expect(res.status).toBe(400);
    const message = res.body.errors[0].message as string;
    expect(res.body.errors[0].code).toBe('INVALID_INPUT');
    expect(message).toMatch(/not valid email addresses/);
    expect(message).toContain('"bob@" (To)');
    expect(message).toMatch(/carol at example\.test.*\(Cc\)/);
    expect(message).toMatch(/spy@evil\.example" \(Bcc\)/);
  });

  it('no recipient at all: 400', async () => {
    const res = await send(a.agent, { accountId: a.accountId, subject: 'Hi', html: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/at least one recipient/);
  });

  it('attachments over the limit in the settings: 413 with the sizes', async () => {
    const big = Buffer.alloc(700 * 1024, 1).toString('base64');
    const res = await send(a.agent, {
      accountId: a.accountId,
      to: b.email,
      subject: 'Big',
      html: 'x',
      attachments: [
        { filename: 'one.bin', content: big },
        { filename: 'two.bin', content: big },
      ],
    });
    expect(res.status).toBe(413);
    expect(res.body.errors[0].message).toMatch(/add up to 1\.4 MB; the limit is 1 MB/);
  });

  it('uploaded files that each fit but together pass the limit: refused while they upload, 413', async () => {
    const big = Buffer.alloc(700 * 1024, 1);
    const res = await postForm(
      a.agent,
      'mailMessages:send',
      { accountId: a.accountId, to: b.email, subject: 'Big', html: 'x' },
      [
        { name: 'one.bin', content: big },
        { name: 'two.bin', content: big },
      ],
    );
    expect(res.status).toBe(413);
    expect(res.body.errors[0].message).toMatch(/larger than the attachment limit of 1 MB/);
  });

  it('one file over the limit is refused while it uploads: 413', async () => {
    const res = await postForm(
      a.agent,
      'mailMessages:send',
      { accountId: a.accountId, to: b.email, subject: 'Big', html: 'x' },
      [{ name: 'huge.bin', content: Buffer.alloc(1024 * 1024 + 10, 2) }],
    );
    expect(res.status).toBe(413);
    expect(res.body.errors[0].message).toMatch(/larger than the attachment limit of 1 MB/);
  });

  it("another user's account: 404, as if it did not exist", async () => {
    const res = await send(b.agent, { accountId: a.accountId, to: b.email, subject: 'Spoof', html: 'x' });
    expect(res.status).toBe(404);
    expect(res.body.errors[0].message).toMatch(/No such mailbox among your connected accounts/);
  });

  it('signed out: refused', async () => {
    const res = await app
      .agent()
      .resource('mailMessages')
      .send({ values: { accountId: a.accountId, to: b.email, html: 'x' } });
    expect([401, 403]).toContain(res.status);
  });
});
