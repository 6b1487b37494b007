/**
 * Upgrading an app that stored mail before the search index existed: the upgrade runs the migration once, which
 * creates the index and fills it from the stored messages, so they are found at once.
 */
import type { MockServer } from '@nocobase/test';
import { searchTables } from '../../search/search-tables';
import { getMailReading } from '../../sync/register';
import { connectedUser, readingApp, seed, waitFor } from '../../sync/__tests__/helpers/reading-app';
import { migrationRuns, sqliteFile } from './helpers/upgrade-app';

const MIGRATION = '20261206000000-search-index/@mailbridge/plugin-email-manager';

jest.setTimeout(120_000);

describe('migration: the search index', () => {
  let app: MockServer;
  const sqlite = sqliteFile('search-upgrade');

  afterAll(async () => {
    await app?.destroy();
    sqlite.remove();
  });

  it('is created and filled from the stored messages by the upgrade, once', async () => {
    // An upgrade closes the database and opens it again: in-memory SQLite would come back empty, so a file.
    const storage = process.env.DB_STORAGE;
    if (process.env.DB_DIALECT !== 'postgres') process.env.DB_STORAGE = sqlite.storage;
    try {
      ({ app } = await readingApp('full'));
    } finally {
      if (storage === undefined) delete process.env.DB_STORAGE;
      else process.env.DB_STORAGE = storage;
    }
    const email = `upgrade-search-${Date.now()}@example.test`;
    await seed(email, 'INBOX', [{ subject: 'Žádost o přílohy', text: 'Stará pošta' }, { subject: 'Other mail' }]);
    const { agent, user } = await connectedUser(app, email);
    await waitFor(async () => (await agent.resource('mailAccounts').syncStatus()).body.data[0].lastSyncAt, {
      what: 'first sync',
    });
    // The upgrade reloads the app: ask its reading services of the moment, as the action does.
    const subjects = async (q: string) =>
      (await getMailReading(app).query.list(user.get('id') as number, { q })).rows.map((m) => m.subject);
    const timesRun = () => migrationRuns(app, MIGRATION);
    expect(await subjects('prilohy')).toEqual(['Žádost o přílohy']);

    // The database as the version before left it: mail stored, no index, the migration never recorded.
    await app.db.sequelize.query(`DROP TABLE ${searchTables(app.db).search}`);
    await app.db.sequelize.query(`DELETE FROM migrations WHERE name = '${MIGRATION}'`);

    await app.runCommand('upgrade');
    expect(await timesRun()).toBe(1);
    expect(await subjects('prilohy')).toEqual(['Žádost o přílohy']);
    expect(await subjects('stara posta')).toEqual(['Žádost o přílohy']);
  });
});
