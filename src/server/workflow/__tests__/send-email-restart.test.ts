/**
 * A "Send email" node cut off by a stop: SMTP is down, the first attempt failed and the node waits to try again
 * when the app stops. After the start the pending job is picked up, the message (same Message-ID) goes out once
 * SMTP is back, and the execution resolves; the attempt left waiting from before the stop sends nothing more.
 * SQLite runs from a file for this suite, so the rows outlive the stop (as in interrupted-send.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MockServer } from '@nocobase/test';
import { usePrivateMailStack } from '../../../../test/helpers/private-mail-stack';
import { readSink } from '../../../../test/mail-stack/client';
import { MailWorkflowInstruction, MailWorkflowTrigger } from '../../../shared/mail-workflow';
import {
  connectedUser,
  imapClient,
  startPostfixAgain,
  startSync,
  stopPostfix,
  waitFor,
} from '../../compose/__tests__/helpers/sending-app';
import { createWorkflow, executionsOf, workflowApp } from './helpers/workflow-app';

const folder = process.env.DB_DIALECT === 'postgres' ? null : mkdtempSync(path.join(tmpdir(), 'mailbridge-wf-stop-'));
const savedStorage = process.env.DB_STORAGE;
if (folder) process.env.DB_STORAGE = path.join(folder, 'app.sqlite');

/** The wait before the node's second attempt: long enough to stop and start the app inside it. */
const RETRY_MS = 8_000;

// This suite stops Postfix on purpose: it gets a stack of its own.
usePrivateMailStack('wf-send-stop');

describe('"Send email" after a stop', () => {
  let app: MockServer;

  beforeAll(async () => {
    ({ app } = await workflowApp({ workflow: { sendRetryDelaysMs: [RETRY_MS] } }));
  }, 60_000);

  afterAll(async () => {
    await startPostfixAgain().catch(() => undefined);
    await app?.destroy();
    if (folder) rmSync(folder, { recursive: true, force: true });
    if (savedStorage === undefined) delete process.env.DB_STORAGE;
    else process.env.DB_STORAGE = savedStorage;
  });

  it('resumes the waiting job after the start and sends the reply once', async () => {
    const user = await connectedUser(app, 'wfstop');
    startSync(app);
    const customer = `erin.${Date.now()}@example.net`;
    const flow = await createWorkflow(app, MailWorkflowTrigger.received, {}, Number(user.user.get('id')), [
      { type: MailWorkflowInstruction.sendEmail, config: { replyToTrigger: true, html: '<p>Noted.</p>' } },
    ]);

    await stopPostfix();
    const client = await imapClient(user.email);
    try {
      await client.append(
        'INBOX',
        [
          `From: Erin <${customer}>`,
          `To: ${user.email}`,
          'Subject: Before the stop',
          'Message-ID: <stop-1@example.net>',
          '',
          'Hi.',
        ].join('\r\n'),
      );
    } finally {
      await client.logout().catch(() => undefined);
    }
    await user.agent.resource('mailAccounts').sync({ filterByTk: user.accountId });
    await waitFor(async () => (await app.db.getModel('mailOutbox').findOne({ where: { state: 'failed' } })) !== null, {
      what: 'the first attempt to fail',
    });

    await app.stop();
    await startPostfixAgain();
    await app.start();

    const execution = await waitFor(
      async () => {
        const [e] = await executionsOf(app, flow.id);
        return e && e.status === 1 ? e : null;
      },
      { what: 'the execution to resolve after the start', timeoutMs: 30_000 },
    );
    expect(execution.jobs[0].result).toMatchObject({ state: 'sent', reason: null });
    // The attempt that was waiting before the stop wakes up and finds the message sent.
    await new Promise((r) => setTimeout(r, RETRY_MS + 2_000));
    const replies = await readSink({ to: customer });
    expect(replies).toHaveLength(1);
    expect(replies[0].parsed.inReplyTo).toBe('<stop-1@example.net>');
    expect(await app.db.getModel('mailOutbox').count()).toBe(1);
  }, 90_000);
});
