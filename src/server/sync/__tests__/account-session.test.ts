/**
 * The session against the real Dovecot and database, with one dependency made to fail where the session must
 * cope: nothing it starts in the background may reject unhandled (on Node 20 that ends the whole NocoBase
 * process), and it goes on syncing.
 */
import type { MockServer } from '@nocobase/test';
import type PluginEmailManagerServer from '../../plugin';
import { AccountSession, SessionDeps } from '../account-session';
import { getMailReading } from '../register';
import { connectedUser, readingApp, seed, waitFor } from './helpers/reading-app';

jest.setTimeout(60_000);

describe('AccountSession', () => {
  let app: MockServer;
  let plugin: PluginEmailManagerServer;
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    // No background sessions: the test drives its own.
    ({ app, plugin } = await readingApp('full', { background: false }));
    process.on('unhandledRejection', record);
  });

  afterAll(async () => {
    process.off('unhandledRejection', record);
    await app?.destroy();
  });

  function sessionDeps(accountId: number, overrides: Partial<SessionDeps> = {}): SessionDeps & { warnings: string[] } {
    const reading = getMailReading(app);
    const warnings: string[] = [];
    return {
      accountId,
      endpoint: () => reading.endpoint(accountId),
      tokens: {
        get: (id) => plugin.tokens.getAccessToken(id),
        refresh: (id, rejected) => plugin.tokens.invalidate(id, rejected),
      },
      windowStart: async () => new Date(Date.now() - 30 * 86_400_000),
      intervalMs: async () => 5 * 60_000,
      sync: { messages: reading.messages, folders: reading.folders, states: reading.states, events: reading.events },
      states: reading.states,
      onFailure: async () => ({ verdict: 'retry' }),
      log: { warn: (msg) => warnings.push(msg) },
      warnings,
      ...overrides,
    };
  }

  it('the database failing while it reads the sync interval: no unhandled rejection, the session syncs and says why', async () => {
    const u = await connectedUser(app);
    await seed(u.email, 'INBOX', [{ subject: 'Still synced' }]);
    const deps = sessionDeps(u.accountId, {
      intervalMs: () => Promise.reject(new Error('SQLITE_BUSY: database is locked')),
    });
    const session = new AccountSession(deps);
    session.start();
    try {
      await waitFor(async () => (await getMailReading(app).states.get(u.accountId))?.get('lastSyncAt'), {
        what: 'the first sync',
      });
      await waitFor(async () => deps.warnings.length > 0, { what: 'a warning about the interval' });
      // Give a stray rejection the turn of the event loop it needs to be reported.
      await new Promise((r) => setTimeout(r, 200));
      expect(unhandled).toEqual([]);
      expect(deps.warnings.join('\n')).toMatch(/interval/);
    } finally {
      await session.stop();
    }
  });
});
