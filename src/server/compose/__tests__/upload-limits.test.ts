import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MockServer } from '@nocobase/test';
import { userAgent } from '../../../../test/helpers/mail-app';
import { deliver } from '../../../../test/mail-stack/client';
import { connectedUser, listed, postForm, sendingApp, startSync, waitFor } from './helpers/sending-app';

const MB = 1024 * 1024;
/**
 * 150 MB are posted. A server that buffers an upload before checking it holds all of it; this one holds at most
 * the 20 MB limit. Half of what was posted tells the two apart whatever else the process holds meanwhile.
 */
const HELD_AT_MOST = 75 * MB;

/** This suite's own upload folder (other suites upload at the same time): the temp folders made there must go. */
const uploadDir = mkdtempSync(path.join(tmpdir(), 'upload-limits-'));
const uploadFolders = () => readdirSync(uploadDir).filter((n) => n.startsWith('mailbridge-upload-'));

/**
 * The server's buffer memory (Buffers live outside the JS heap, in `arrayBuffers`) is sampled while `request`
 * runs; the answer is the highest growth seen over the level before it. The test client and the background sync
 * share the process, so the figure carries their buffers too (up to some 30 MB seen): see HELD_AT_MOST.
 */
async function peakBufferGrowth<T>(request: () => Promise<T>): Promise<{ result: T; growth: number }> {
  global.gc?.();
  const base = process.memoryUsage().arrayBuffers;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  }, 2);
  try {
    const result = await request();
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    return { result, growth: peak - base };
  } finally {
    clearInterval(timer);
  }
}

/** Uploads can never make the server hold more than the attachment limit, whoever sends them. */
describe('uploads over the attachment limit are refused while they stream in', () => {
  let app: MockServer;
  let a: Awaited<ReturnType<typeof connectedUser>>;
  let b: Awaited<ReturnType<typeof connectedUser>>;
  let folder: string;
  let file15: string;

  beforeAll(async () => {
    // The default limit, 20 MB: each file below it, together far above.
    ({ app } = await sendingApp({}, { sending: { uploadDir } }));
    a = await connectedUser(app, 'alice');
    b = await connectedUser(app, 'bob');
    startSync(app);
    folder = mkdtempSync(path.join(tmpdir(), 'outbox-uploads-'));
    file15 = path.join(folder, 'fifteen.bin');
    writeFileSync(file15, Buffer.alloc(15 * MB, 7));
  });
  afterAll(async () => {
    await app?.destroy();
    rmSync(folder, { recursive: true, force: true });
    rmSync(uploadDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    expect(await app.db.getRepository('mailOutbox').count()).toBe(0);
    expect(await app.db.getRepository('mailOutboxFiles').count()).toBe(0);
  });

  const tenFiles = (agent: typeof a.agent, values: Record<string, unknown>) => {
    let req = agent.post('/mailMessages:saveDraft').field('values', JSON.stringify(values));
    for (let i = 0; i < 10; i++)
      req = req.attach('files', file15, { filename: `part-${i}.bin`, contentType: 'application/octet-stream' });
    return req;
  };

  it('10 × 15 MB to saveDraft from a user with a mailbox: 413 with the reason, and the server never held the files', async () => {
    const { result: res, growth } = await peakBufferGrowth(() =>
      tenFiles(a.agent, { accountId: a.accountId, subject: 'Too big' }),
    );
    expect(growth).toBeLessThan(HELD_AT_MOST);
    expect(res.status).toBe(413);
    expect(res.body.errors[0].message).toMatch(/larger than the attachment limit of 20 MB/);
    expect(uploadFolders()).toEqual([]);
  });

  it('the same from a signed-in user with no mailbox: the same 413, nothing held', async () => {
    const { agent } = await userAgent(app, 'member');
    const { result: res, growth } = await peakBufferGrowth(() => tenFiles(agent, { subject: 'No mailbox' }));
    expect(growth).toBeLessThan(HELD_AT_MOST);
    expect(res.status).toBe(413);
    expect(uploadFolders()).toEqual([]);
  });

  it('too many text fields, or one too long: refused with the reason', async () => {
    let req = a.agent.post('/mailMessages:saveDraft').field('values', JSON.stringify({ accountId: a.accountId }));
    for (let i = 0; i < 20; i++) req = req.field(`extra${i}`, 'x');
    const many = await req;
    expect(many.status).toBe(400);
    expect(many.body.errors[0].message).toMatch(/too many parts/);

    const long = await a.agent
      .post('/mailMessages:saveDraft')
      .field('values', JSON.stringify({ accountId: a.accountId, html: 'x'.repeat(6 * MB) }));
    expect(long.status).toBe(413);
    expect(long.body.errors[0].message).toMatch(/message text is too long/);
  });

  it('inline images carried into a reply count against the same limit: a 15 MB quoted image + a 10 MB file is refused, 413', async () => {
    const messageId = await deliver({
      from: `Alice <${a.email}>`,
      to: b.email,
      subject: 'Big picture',
      html: '<p>Look: <img src="cid:big@alice" alt="big"></p>',
      attachments: [
        { filename: 'big.png', content: Buffer.alloc(15 * MB, 3), contentType: 'image/png', cid: 'big@alice' },
      ],
    });
    const inBob = await waitFor(
      async () => (await listed(b.agent, b.accountId, 'inbox')).find((m) => m.messageId === messageId),
      { what: 'the message with the big image', timeoutMs: 60_000 },
    );
    const res = await postForm(
      b.agent,
      'mailMessages:send',
      { mode: 'reply', sourceMessageId: inBob.id, html: '<p>Nice</p>' },
      [{ name: 'ten.bin', content: Buffer.alloc(10 * MB, 4) }],
    );
    expect(res.status).toBe(413);
    expect(res.body.errors[0].message).toMatch(/the limit is 20 MB/);
  });
});
