import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MockServer } from '@nocobase/test';
import {
  createMailApp,
  pageMessage,
  returnToApp,
  standInSettings,
  testRedirectUri,
  userAgent,
} from '../../../test/helpers/mail-app';
import { newMailboxAddress, registerApp, signInReturn } from '../../../test/helpers/stand-in';
import type PluginEmailManagerServer from '../plugin';

const isSqlite = (process.env.DB_DIALECT || 'sqlite') === 'sqlite';

/** Every string a response carried: status line aside, the body as text and every header. */
type Seen = string[];
function record<T extends { text?: string; body?: unknown; headers: Record<string, unknown> }>(seen: Seen, res: T): T {
  seen.push(res.text ?? JSON.stringify(res.body ?? ''), JSON.stringify(res.headers));
  return res;
}

describe('secrets and tokens stay on the server, encrypted at rest', () => {
  let app: MockServer;
  let plugin: PluginEmailManagerServer;
  let dbFile: string | undefined;
  const savedStorage = process.env.DB_STORAGE;

  beforeAll(async () => {
    if (isSqlite) {
      // A file database, so the test can read the bytes NocoBase wrote, as anyone with the file could.
      dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mailbridge-db-')), 'nocobase.sqlite');
      process.env.DB_STORAGE = dbFile;
    }
    ({ app, plugin } = await createMailApp());
  });

  afterAll(async () => {
    await app?.destroy();
    if (savedStorage === undefined) delete process.env.DB_STORAGE;
    else process.env.DB_STORAGE = savedStorage;
    if (dbFile) fs.rmSync(path.dirname(dbFile), { recursive: true, force: true });
  });

  async function databaseText(): Promise<string> {
    if (dbFile) {
      const files = [dbFile, `${dbFile}-wal`, `${dbFile}-journal`].filter((f) => fs.existsSync(f));
      return files.map((f) => fs.readFileSync(f).toString('latin1')).join('\n');
    }
    const [tables] = (await app.db.sequelize.query(
      "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'",
    )) as [Array<{ table_schema: string; table_name: string }>, unknown];
    const dumps: string[] = [];
    for (const { table_schema, table_name } of tables) {
      const [rows] = await app.db.sequelize.query(
        `SELECT row_to_json(t)::text AS row FROM "${table_schema}"."${table_name}" t`,
      );
      dumps.push(...(rows as Array<{ row: string }>).map((r) => r.row));
    }
    return dumps.join('\n');
  }

  it('no response of the whole flow, as admin or as user, contains the client secret or any token; the database holds neither in plain text', async () => {
    const seen: Seen = [];
    const registration = await registerApp({ redirectUris: [testRedirectUri(app)] });
    const admin = (await userAgent(app, 'admin')).agent;
    const { agent: user } = await userAgent(app);
    const email = newMailboxAddress('leak');

    // Admin: configure, read back, test, re-save with a blank secret.
    record(seen, await admin.resource('mailSettings').get());
    record(seen, await admin.resource('mailSettings').update({ values: standInSettings(registration) }));
    record(seen, await admin.resource('mailSettings').get());
    record(seen, await admin.resource('mailSettings').test());
    record(seen, await admin.resource('mailSettings').update({ values: { clientSecret: '' } }));

    // User: connect, sign in, return, list, read; twice, so a reconnect's responses are covered too.
    const codes: string[] = [];
    let accountId = 0;
    for (let i = 0; i < 2; i++) {
      const start = record(seen, await user.resource('mailAccounts').connect());
      const returned = await signInReturn(start.body.data.authorizeUrl, email);
      codes.push(returned.fields.code);
      const callback = record(seen, await returnToApp(user, returned));
      accountId = pageMessage(callback.text).accountId as number;
      record(seen, await user.resource('mailAccounts').list());
      record(seen, await user.resource('mailAccounts').get({ filterByTk: accountId }));
    }
    // Tokens the server holds: a served one, a refreshed one, and whatever is in the stored cache.
    const served = await plugin.tokens.getAccessToken(accountId);
    const refreshed = await plugin.tokens.invalidate(accountId, served.accessToken);
    record(seen, await user.resource('mailAccounts').get({ filterByTk: accountId }));
    record(seen, await admin.resource('mailAccounts').list());

    const row = await app.db.getRepository('mailAccounts').findOne({ filterByTk: accountId });
    const cache = JSON.parse(await app.aesEncryptor.decrypt(row.get('tokenCache')));
    const cached = ['AccessToken', 'RefreshToken', 'IdToken'].flatMap((kind) =>
      Object.values(cache[kind] ?? {}).map((entry) => (entry as { secret: string }).secret),
    );
    expect(cached.length).toBeGreaterThanOrEqual(3);

    const forbidden = {
      'client secret': registration.secret,
      'served access token': served.accessToken,
      'refreshed access token': refreshed.accessToken,
      ...Object.fromEntries(cached.map((secret, i) => [`cached token ${i}`, secret])),
      ...Object.fromEntries(codes.map((code, i) => [`authorization code ${i}`, code])),
    };

    const responses = seen.join('\n');
    // The flow did produce readable responses: the address is there, so a search could find things.
    expect(responses).toContain(email);
    for (const [name, value] of Object.entries(forbidden)) {
      expect({ name, inResponses: responses.includes(value) }).toEqual({ name, inResponses: false });
    }

    record(seen, await user.resource('mailAccounts').disconnect({ filterByTk: accountId }));
    expect(seen.join('\n')).not.toContain(refreshed.accessToken);

    // Reconnect for the database check, so a live token cache is stored.
    const start = await user.resource('mailAccounts').connect();
    await returnToApp(user, await signInReturn(start.body.data.authorizeUrl, email));
    const live = await plugin.tokens.getAccessToken(
      (await app.db.getRepository('mailAccounts').findOne({ filter: { address: email } })).get('id'),
    );

    const stored = await databaseText();
    expect(stored).toContain(email);
    for (const [name, value] of Object.entries({ ...forbidden, 'live access token': live.accessToken })) {
      expect({ name, inDatabase: stored.includes(value) }).toEqual({ name, inDatabase: false });
    }
  });
});
