/**
 * 1,000 concurrent calls that need an access token for one account whose token has just run out: how many
 * requests reach the identity stand-in's token endpoint. Twice: the token service called directly (the single-flight
 * under the lock), and 1,000 concurrent `mailMessages:markRead` requests over HTTP, which need an IMAP connection
 * and so a token (the pooled connection is dropped first).
 */
import { deliver, tokenEndpointCalls } from '../../test/mail-stack/client';
import { expireStoredAccessToken } from '../../test/helpers/token-expiry';
import { benchApp, connectedUser, engineSync, listeningAgent } from '../lib/bench-app';
import { benchImapClient, closeClient } from '../lib/imap';
import type { BenchRow } from '../lib/result';
import { fmtMs, timed } from '../lib/stats';

const CALLS = 1000;
const ROUNDS = 3;

export async function tokensScenario(): Promise<BenchRow[]> {
  const { app, plugin, reading } = await benchApp();
  try {
    const user = await connectedUser(app);
    const agent = await listeningAgent(app, user.user);
    const calls = () => tokenEndpointCalls({ email: user.email, grantType: 'refresh_token' });

    const direct: number[] = [];
    let directMs = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await expireStoredAccessToken(app, user.accountId);
      const before = await calls();
      const t = await timed(() =>
        Promise.all(Array.from({ length: CALLS }, () => plugin.tokens.getAccessToken(user.accountId))),
      );
      if (new Set(t.value.map((v) => v.accessToken)).size !== 1)
        throw new Error('concurrent callers got different tokens');
      direct.push((await calls()) - before);
      directMs = Math.max(directMs, t.ms);
    }

    await deliver({ to: user.email, subject: 'Token bench', text: 'x' });
    const client = await benchImapClient(user.email, 'full');
    await engineSync(reading, client, user.accountId);
    await closeClient(client);
    const row = (await app.db
      .getModel('mailMessages')
      .findOne({ where: { accountId: user.accountId }, raw: true })) as unknown as { id: number };
    await reading.pool.drop(user.accountId);
    await expireStoredAccessToken(app, user.accountId);
    const before = await calls();
    const http = await timed(() =>
      Promise.all(
        Array.from({ length: CALLS }, (_, i) =>
          agent.resource('mailMessages')[i % 2 ? 'markRead' : 'markUnread']({ filterByTk: row.id }),
        ),
      ),
    );
    const failed = http.value.filter((r) => r.status !== 200);
    if (failed.length)
      throw new Error(
        `${failed.length} of ${CALLS} requests failed, e.g. HTTP ${failed[0].status} ${JSON.stringify(failed[0].body).slice(0, 200)}`,
      );
    const overHttp = (await calls()) - before;

    return [
      {
        name: `${CALLS.toLocaleString('en')} concurrent token requests (TokenService.getAccessToken), one account, token expired`,
        value: `${Math.max(...direct)} token-endpoint call(s) per expiry (rounds: ${direct.join(', ')}); all ${CALLS} served in ≤ ${fmtMs(directMs)}`,
        target: '≤ 1 per account per expiry',
        met: Math.max(...direct) <= 1,
        runs: `${ROUNDS} expiries`,
      },
      {
        name: `${CALLS.toLocaleString('en')} concurrent mailMessages:markRead/markUnread over HTTP, connection dropped, token expired`,
        value: `${overHttp} token-endpoint call(s); ${CALLS} × HTTP 200 in ${fmtMs(http.ms)}`,
        target: '≤ 1 per account per expiry',
        met: overHttp <= 1,
        runs: '1 expiry',
      },
    ];
  } finally {
    await app.destroy();
  }
}
