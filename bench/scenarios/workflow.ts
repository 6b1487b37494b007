/**
 * Workflow: a message delivered through Postfix (SMTP → LMTP → Dovecot) until the "Mail received" workflow's
 * execution has started (left the queue), with background sync and push running as in production. The clock starts
 * when `deliver()` is called, so SMTP, local delivery, push, the store, the trigger (its claim and the body fetch)
 * and the workflow plugin's queue are all inside the figure.
 */
import { MailWorkflowTrigger } from '../../src/shared/mail-workflow';
import { createWorkflow } from '../../src/server/workflow/__tests__/helpers/workflow-app';
import { benchApp, connectedUser } from '../lib/bench-app';
import { deliveryTimes, pushConnected } from '../lib/delivery';
import type { BenchRow } from '../lib/result';
import { fmtMs, percentile } from '../lib/stats';

const COUNT = 20;
const POLL_MS = 20;

export async function workflowScenario(): Promise<BenchRow[]> {
  const { app, reading } = await benchApp({ background: true, extraPlugins: ['workflow'] });
  try {
    const user = await connectedUser(app);
    await pushConnected(reading, user.accountId);
    const workflow = await createWorkflow(app, MailWorkflowTrigger.received, {}, Number(user.user.get('id')));
    const executions = app.db.getRepository('executions');

    const samples = await deliveryTimes({
      to: user.email,
      label: 'Workflow',
      count: COUNT,
      pollMs: POLL_MS,
      arrival: async () => {
        const before = await executions.count({ filter: { workflowId: workflow.id } });
        // Started: the execution exists and left the queue (status STARTED or a final one, no longer null).
        return async () =>
          (await executions.count({ filter: { workflowId: workflow.id, status: { $ne: null } } })) > before;
      },
      missing: 'started no execution',
    });
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
