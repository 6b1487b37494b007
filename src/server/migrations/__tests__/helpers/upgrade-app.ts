/**
 * Upgrade tests: an app whose database outlives NocoBase's upgrade, which closes the database and opens it again
 * (in-memory SQLite would come back empty, so SQLite is a file; PostgreSQL is the configured one), and how many
 * times a migration is recorded as run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMockServer, MockServer } from '@nocobase/test';
import { APP_PLUGINS } from '../../../../../test/helpers/plugin-app';
import { PluginEmailManagerServer } from '../../../plugin';

/** A fresh SQLite file path for one test file; `remove` deletes it. */
export function sqliteFile(name: string) {
  const storage = path.join(os.tmpdir(), `mailbridge-${name}-${process.pid}-${Date.now()}.sqlite`);
  return { storage, remove: () => fs.rmSync(storage, { force: true }) };
}

/** The plugin in an app with ACL and actions, on `storage` under SQLite. */
export function upgradableApp(storage: string): Promise<MockServer> {
  return createMockServer({
    plugins: [...APP_PLUGINS, [PluginEmailManagerServer, { name: 'email-manager' }]],
    acl: true,
    registerActions: true,
    ...(process.env.DB_DIALECT === 'postgres' ? {} : { database: { dialect: 'sqlite', storage } }),
  });
}

/** How many times `migration` is recorded as run. */
export async function migrationRuns(app: MockServer, migration: string): Promise<number> {
  const [rows] = await app.db.sequelize.query(`SELECT name FROM migrations`);
  return (rows as { name: string }[]).filter((r) => r.name === migration).length;
}
