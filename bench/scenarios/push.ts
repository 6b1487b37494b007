/**
 * Push: a message delivered through Postfix (SMTP → LMTP → Dovecot) until it is listed by `mailMessages:list`
 * over HTTP, with background sync running as in production (the account's session IDLEs on the Inbox).
 * The clock starts when `deliver()` is called, so SMTP and local delivery are inside the figure.
 */
import { benchApp, connectedUser, listeningAgent } from '../lib/bench-app';
import { deliveryTimes, pushConnected } from '../lib/delivery';
import type { BenchRow } from '../lib/result';
import { fmtMs, percentile } from '../lib/stats';

const COUNT = 20;
const POLL_MS = 20;

export async function pushScenario(): Promise<BenchRow[]> {
  const { app, reading } = await benchApp({ background: true });
  try {
    const user = await connectedUser(app);
    const agent = await listeningAgent(app, user.user);
    await pushConnected(reading, user.accountId);
    const inbox = (await reading.folders.list(user.accountId)).find((f) => f.role === 'inbox');
    if (!inbox) throw new Error('no Inbox after the first sync');

    const samples = await deliveryTimes({
      to: user.email,
      label: 'Push',
      count: COUNT,
      pollMs: POLL_MS,
      arrival: async (subject) => async () => {
        const res = await agent.resource('mailMessages').list({ folderId: inbox.id, pageSize: 5 });
        return (res.body.data as Array<{ subject: string }>).some((m) => m.subject === subject);
      },
      missing: 'not listed',
    });
    const p95 = percentile(samples, 95);
    return [
      {
        name: `Push: deliver() → listed by mailMessages:list over HTTP (IDLE, polled every ${POLL_MS} ms)`,
        value: `median ${fmtMs(percentile(samples, 50))}, p95 ${fmtMs(p95)}, max ${fmtMs(Math.max(...samples))}`,
        target: 'p95 ≤ 2 s',
        met: p95 <= 2000,
        runs: `${COUNT} messages, one at a time`,
      },
    ];
  } finally {
    await app.destroy();
  }
}
