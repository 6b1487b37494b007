/**
 * Workflow: a message delivered through Postfix (SMTP → LMTP → Dovecot) until the "Mail received" workflow's
 * execution has started (left the queue), with background sync and push running as in production. The clock starts
 * when `deliver()` is called, so SMTP, local delivery, push, the store, the trigger (its claim and the body fetch)
 * and the workflow plugin's queue are all inside the figure.
 */
import { randomBytes } from 'node:crypto';
import { deliver } from '../../test/mail-stack/client';
import { MailWorkflowTrigger } from '../../src/shared/mail-workflow';
import { createWorkflow } from '../../src/server/workflow/__tests__/helpers/workflow-app';
import { benchApp, connectedUser } from '../lib/bench-app';
import type { BenchRow } from '../lib/result';
import { fmtMs, percentile, sleep } from '../lib/stats';

const COUNT = 20;
const POLL_MS = 20;

export async function workflowScenario(): Promise<BenchRow[]> {
  const { app, reading } = await benchApp({ background: true, extraPlugins: ['workflow'] });
  try {
    const user = await connectedUser(app);
    const until = Date.now() + 60_000;
    for (;;) {
      const [view] = await reading.states.views([user.accountId]);
      if (view?.lastSyncAt && view.pushConnected) break;
      if (Date.now() > until) throw new Error(`no push connection after 60 s: ${JSON.stringify(view)}`);
      await sleep(100);
    }
    const workflow = await createWorkflow(app, MailWorkflowTrigger.received, {}, Number(user.user.get('id')));
    const executions = app.db.getRepository('executions');

    const startedAfter = async (subject: string, timeoutMs: number): Promise<number> => {
      const before = await executions.count({ filter: { workflowId: workflow.id } });
      const start = process.hrtime.bigint();
      const delivered = deliver({ to: user.email, subject, text: `Workflow test ${subject}` }, { wait: false });
      const deadline = Date.now() + timeoutMs;
      // Started: the execution exists and left the queue (status STARTED or a final one, no longer null).
      while ((await executions.count({ filter: { workflowId: workflow.id, status: { $ne: null } } })) <= before) {
        if (Date.now() > deadline) throw new Error(`"${subject}" started no execution within ${timeoutMs} ms`);
        await sleep(POLL_MS);
      }
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      await delivered;
      return ms;
    };

    // imapflow enters IDLE only some time after the last command: the first message shows when push is really on.
    await startedAfter(`warm-up ${randomBytes(4).toString('hex')}`, 60_000);
    const samples: number[] = [];
    for (let i = 0; i < COUNT; i++) {
      samples.push(await startedAfter(`workflow ${i} ${randomBytes(4).toString('hex')}`, 30_000));
      await sleep(300);
    }
    const p95 = percentile(samples, 95);
    return [
      {
        name: `Workflow: deliver() → "Mail received" execution started (IDLE, polled every ${POLL_MS} ms)`,
        value: `median ${fmtMs(percentile(samples, 50))}, p95 ${fmtMs(p95)}, max ${fmtMs(Math.max(...samples))}`,
        target: 'p95 ≤ 3 s',
        met: p95 <= 3000,
        runs: `${COUNT} messages, one at a time`,
      },
    ];
  } finally {
    await app.destroy();
  }
}
