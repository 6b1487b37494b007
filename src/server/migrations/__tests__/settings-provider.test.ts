/**
 * Upgrading an app whose settings row was saved before the `provider` column existed (0.1.x): NocoBase's own
 * upgrade adds the column and runs the migration once; the secret still decrypts and the mailbox still signs in.
 * The folders' refusal columns (0.2.x) are added by the same upgrade, with no migration of their own.
 */
import type { MockServer } from '@nocobase/test';
import { configureStandIn, connectMailbox, pageMessage, userAgent } from '../../../../test/helpers/mail-app';
import { newMailboxAddress } from '../../../../test/mail-stack/client';
import { MailAccountStatus } from '../../../shared/constants';
import { PluginEmailManagerServer } from '../../plugin';
import { sqliteFile, migrationRuns, upgradableApp } from './helpers/upgrade-app';

const MIGRATION = '20261205000000-settings-provider/@mailbridge/plugin-email-manager';

jest.setTimeout(120_000);

describe('migration: the settings row names its provider', () => {
  let app: MockServer;
  const sqlite = sqliteFile('upgrade');

  afterAll(async () => {
    await app?.destroy();
    sqlite.remove();
  });

  const plugin = () => app.pm.get(PluginEmailManagerServer) as PluginEmailManagerServer;
  const settingsTable = () => app.db.getCollection('mailSettings').getTableNameWithSchema();
  const timesRun = () => migrationRuns(app, MIGRATION);

  it('fills the column of a row saved before it existed, once, and loses nothing', async () => {
    app = await upgradableApp(sqlite.storage);
    const { agent: admin } = await userAgent(app, 'admin');
    const registration = await configureStandIn(app, admin);
    const { agent } = await userAgent(app, 'member');
    const result = pageMessage((await connectMailbox(agent, newMailboxAddress('upgrade'))).callback.text);
    expect(result.ok).toBe(true);
    const accountId = Number(result.accountId);

    // The row as 0.1.x left it: no provider column, and the migration never recorded.
    await app.db.sequelize.getQueryInterface().removeColumn(settingsTable(), 'provider');
    await app.db.sequelize.query(`DELETE FROM migrations WHERE name = '${MIGRATION}'`);
    // The folder table as 0.2.x left it: NocoBase's upgrade adds the nullable columns added since.
    const foldersTable = app.db.getCollection('mailFolders').getTableNameWithSchema();
    for (const column of ['syncError', 'syncErrorAt']) {
      await app.db.sequelize.getQueryInterface().removeColumn(foldersTable, column);
    }

    await app.runCommand('upgrade');
    const folderColumns = await app.db.sequelize.getQueryInterface().describeTable(foldersTable);
    expect(Object.keys(folderColumns)).toEqual(expect.arrayContaining(['syncError', 'syncErrorAt']));

    const [row] = await app.db.getRepository('mailSettings').find();
    expect(row.get('provider')).toBe('microsoft');
    expect(await timesRun()).toBe(1);
    const settings = await plugin().settings.load();
    expect(settings.clientSecret).toBe(registration.secret);
    expect(settings.clientId).toBe(registration.clientId);

    const account = await plugin().accounts.findById(accountId);
    expect(account?.get('status')).toBe(MailAccountStatus.connected);
    // A forced refresh goes to the identity provider with the decrypted secret and the stored token cache.
    const first = await plugin().tokens.getAccessToken(accountId);
    const refreshed = await plugin().tokens.invalidate(accountId, first.accessToken);
    expect(refreshed.accessToken).not.toBe(first.accessToken);

    // A second upgrade finds it recorded and does not run it again.
    await app.db
      .getRepository('mailSettings')
      .update({ filterByTk: row.get('id') as number, values: { provider: null } });
    await app.runCommand('upgrade');
    expect(await timesRun()).toBe(1);
    const [again] = await app.db.getRepository('mailSettings').find();
    expect(again.get('provider')).toBeNull();
  });
});
