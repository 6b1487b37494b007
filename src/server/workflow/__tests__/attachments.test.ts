/**
 * Attachments in workflows, with the real workflow and file manager plugins and the mail stack: "Save email
 * attachments" stores a delivered message's attachments as file manager rows holding the sent bytes, a "Create
 * record" node puts them in an attachment field, and "Send email" sends that record's files; files over the
 * attachment limit fail the node with the reason before their storage is read.
 */
import type { Readable } from 'node:stream';
import type { MockServer } from '@nocobase/test';
import { deliver, readSink } from '../../../../test/mail-stack/client';
import { MailWorkflowInstruction, MailWorkflowTrigger } from '../../../shared/mail-workflow';
import { connectedUser, startSync, waitFor } from '../../compose/__tests__/helpers/sending-app';
import { requireFileManager } from '../file-manager';
import { createWorkflow, ExecutionRow, executionsOf, workflowApp } from './helpers/workflow-app';

const RESOLVED = 1;
const FAILED = -1;

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('attachments in workflows (file manager)', () => {
  let app: MockServer;
  let admin: Awaited<ReturnType<typeof workflowApp>>['admin'];
  let user: Awaited<ReturnType<typeof connectedUser>>;
  let author: number;

  const finished = (workflowId: number) =>
    waitFor(
      async () => {
        const [execution] = await executionsOf(app, workflowId);
        return execution && execution.status !== null && execution.status !== 0 ? execution : null;
      },
      { what: 'the execution to finish', timeoutMs: 40_000 },
    );
  const resultOf = (execution: ExecutionRow, nodeId: number) =>
    execution.jobs.find((j) => Number(j.nodeId) === nodeId)?.result as Record<string, unknown> | undefined;
  const nodeIds = async (workflowId: number) =>
    (await app.db.getRepository('flow_nodes').find({ filter: { workflowId }, sort: ['id'] })).map((n: { id: number }) =>
      Number(n.id),
    );

  beforeAll(async () => {
    ({ app, admin } = await workflowApp({}, ['file-manager']));
    // A business table with an attachment field (many files, as the "Attachment" field interface makes it).
    app.db.collection({
      name: 'claims',
      fields: [
        { name: 'subject', type: 'string' },
        { name: 'files', type: 'belongsToMany', target: 'attachments', through: 'claimsFiles' },
      ],
    });
    await app.db.sync();
    user = await connectedUser(app, 'wffiles');
    author = Number(user.user.get('id'));
    startSync(app);
  }, 90_000);

  afterAll(async () => {
    await app?.destroy();
  });

  describe('a message with two attachments → save → a record with them → a reply carrying them', () => {
    const customer = `erin.${Date.now()}@example.net`;
    const pdf = Buffer.from('%PDF-1.4\nclaim form\n%%EOF\n');
    const photo = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
    let workflowId: number;
    let execution: ExecutionRow;

    beforeAll(async () => {
      workflowId = (
        await createWorkflow(app, MailWorkflowTrigger.received, { subject: 'claim' }, author, [
          { key: 'save', type: MailWorkflowInstruction.saveAttachments, config: {} },
          {
            key: 'claim',
            type: 'create',
            config: {
              collection: 'claims',
              params: {
                values: { subject: '{{$context.message.subject}}', files: '{{$jobsMapByNodeKey.save.files}}' },
                appends: ['files'],
              },
            },
          },
          {
            type: MailWorkflowInstruction.sendEmail,
            config: {
              replyToTrigger: true,
              html: '<p>Your claim and its files are filed.</p>',
              attachments: '{{$jobsMapByNodeKey.claim.files}}',
            },
          },
        ])
      ).id;
      await deliver({
        from: `Erin <${customer}>`,
        to: user.email,
        subject: 'A claim for my broken lamp',
        text: 'Form and photo attached.',
        attachments: [
          { filename: 'claim form.pdf', content: pdf, contentType: 'application/pdf' },
          { filename: 'lampa-rozbitá.jpg', content: photo, contentType: 'image/jpeg' },
        ],
      });
      execution = await finished(workflowId);
    }, 90_000);

    it('saves both attachments as file manager rows holding the sent bytes', async () => {
      expect(execution.status).toBe(RESOLVED);
      const [saveId] = await nodeIds(workflowId);
      const saved = resultOf(execution, saveId)?.files as Array<Record<string, unknown>>;
      expect(saved).toHaveLength(2);
      const rows = await app.db
        .getRepository('attachments')
        .find({ filter: { id: saved.map((f) => f.id) }, sort: ['id'] });
      expect(
        rows.map((r: { get(k: string): unknown }) => [r.get('title'), r.get('extname'), r.get('mimetype')]),
      ).toEqual([
        ['claim form', '.pdf', 'application/pdf'],
        ['lampa-rozbitá', '.jpg', 'image/jpeg'],
      ]);
      expect(rows.map((r: { get(k: string): unknown }) => Number(r.get('createdById')))).toEqual([author, author]);
      const files = requireFileManager(app);
      const stored = await Promise.all(rows.map(async (r: unknown) => bytesOf((await files.getFileStream(r)).stream)));
      expect(stored[0].equals(pdf)).toBe(true);
      expect(stored[1].equals(photo)).toBe(true);
    });

    it('a "Create record" node puts them in the record\'s attachment field', async () => {
      const [claim] = await app.db.getRepository('claims').find({ appends: ['files'] });
      expect(claim.get('subject')).toBe('A claim for my broken lamp');
      expect((claim.get('files') as Array<{ get(k: string): unknown }>).map((f) => f.get('title')).sort()).toEqual([
        'claim form',
        'lampa-rozbitá',
      ]);
    });

    it('"Send email" sends the record\'s files: the reply at the sink carries both', async () => {
      const [reply] = await waitFor(() => readSink({ to: customer }).then((l) => (l.length ? l : null)), {
        what: 'the reply at the sink',
      });
      expect(reply.parsed.inReplyTo).toBeTruthy();
      const attached = reply.parsed.attachments.map((a) => [a.filename, a.contentType, a.content]);
      expect(attached).toEqual(
        expect.arrayContaining([
          ['claim form.pdf', 'application/pdf', pdf],
          ['lampa-rozbitá.jpg', 'image/jpeg', photo],
        ]),
      );
      expect(attached).toHaveLength(2);
    });
  });

  it('a message without attachments saves none: { files: [] }', async () => {
    const flow = await createWorkflow(app, MailWorkflowTrigger.received, { subject: 'no files' }, author, [
      { type: MailWorkflowInstruction.saveAttachments, config: {} },
    ]);
    const before = await app.db.getRepository('attachments').count();
    await deliver({ from: 'frank@example.net', to: user.email, subject: 'no files here', text: 'Just text.' });
    const execution = await finished(flow.id);
    expect(execution.status).toBe(RESOLVED);
    expect(execution.jobs[0].result).toEqual({ files: [], reason: null });
    expect(await app.db.getRepository('attachments').count()).toBe(before);
  });

  it('only the attachments matching the name and type patterns are saved', async () => {
    const flow = await createWorkflow(app, MailWorkflowTrigger.received, { subject: 'invoice' }, author, [
      {
        type: MailWorkflowInstruction.saveAttachments,
        config: { filename: 'invoice-*', contentType: 'application/*' },
      },
    ]);
    await deliver({
      from: 'gina@example.net',
      to: user.email,
      subject: 'invoice 12',
      text: 'See attached.',
      attachments: [
        { filename: 'invoice-12.pdf', content: Buffer.from('%PDF invoice'), contentType: 'application/pdf' },
        { filename: 'invoice-12.png', content: Buffer.from('png'), contentType: 'image/png' },
        { filename: 'terms.pdf', content: Buffer.from('%PDF terms'), contentType: 'application/pdf' },
      ],
    });
    const execution = await finished(flow.id);
    expect(execution.status).toBe(RESOLVED);
    const files = (execution.jobs[0].result as { files: Array<{ title: string }> }).files;
    expect(files.map((f) => f.title)).toEqual(['invoice-12']);
  });

  it('files over the attachment limit fail "Send email" with the reason, before their storage is read', async () => {
    await admin.resource('mailSettings').update({ values: { maxAttachmentMb: 1 } });
    // A row whose stored file is missing: reading it would fail otherwise, so the reason shows the check came first.
    const storage = await app.db.getRepository('storages').findOne({ filter: { default: true } });
    const big = await app.db.getRepository('attachments').create({
      values: {
        title: 'scan',
        filename: 'scan-missing.pdf',
        extname: '.pdf',
        mimetype: 'application/pdf',
        size: 3 * 1024 * 1024,
        path: '',
        storageId: storage.get('id'),
      },
    });
    const customer = `hugo.${Date.now()}@example.net`;
    const flow = await createWorkflow(app, MailWorkflowTrigger.received, { subject: 'scan' }, author, [
      {
        type: MailWorkflowInstruction.sendEmail,
        config: { replyToTrigger: true, html: '<p>Here is the scan.</p>', attachments: [big.get('id')] },
      },
    ]);
    await deliver({ from: customer, to: user.email, subject: 'the scan please', text: 'Send me the scan.' });
    const execution = await finished(flow.id);
    expect(execution.status).toBe(FAILED);
    expect(execution.jobs[0].result).toMatchObject({
      state: 'failed',
      reason: 'The attachments add up to 3.0 MB; the limit is 1 MB. Remove some, or share large files as links.',
    });
    expect(await readSink({ to: customer })).toHaveLength(0);
  });
});
