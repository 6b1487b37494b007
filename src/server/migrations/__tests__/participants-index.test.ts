/**
 * Upgrading an app that stored mail before the participants index existed: NocoBase's upgrade creates the table
 * and runs the migration once, which indexes every stored message from its address columns; a second upgrade does
 * not run it again.
 */
import type { MockServer } from '@nocobase/test';
import { sqliteFile, migrationRuns, upgradableApp } from './helpers/upgrade-app';
import {
  ACCOUNTS_COLLECTION,
  FOLDERS_COLLECTION,
  MESSAGES_COLLECTION,
  PARTICIPANTS_COLLECTION,
} from '../../store/collection-names';

const MIGRATION = '20261206000000-participants-index/@mailbridge/plugin-email-manager';

jest.setTimeout(180_000);

describe('migration: the participants index is filled for mail already stored', () => {
  let app: MockServer;
  const sqlite = sqliteFile('participants');

  afterAll(async () => {
    await app?.destroy();
    sqlite.remove();
  });

  const timesRun = () => migrationRuns(app, MIGRATION);
  const participants = () => app.db.getModel(PARTICIPANTS_COLLECTION);

  it('indexes every stored message once, from, reply-to, to and cc, normalised', async () => {
    app = await upgradableApp(sqlite.storage);
    const email = 'owner@example.test';
    const user = await app.db.getRepository('users').create({ values: { nickname: 'owner', email } });
    const account = await app.db
      .getModel(ACCOUNTS_COLLECTION)
      .create({ userId: user.get('id'), provider: 'microsoft', address: email }, { hooks: false });
    const folder = await app.db
      .getModel(FOLDERS_COLLECTION)
      .create({ accountId: account.get('id'), path: 'INBOX', name: 'Inbox' }, { hooks: false });
    const row = (uid: number, from: object[], to: object[], extra: object = {}) => ({
      accountId: account.get('id'),
      folderId: folder.get('id'),
      uid,
      subject: `Message ${uid}`,
      threadKey: `t${uid}`,
      from,
      to,
      date: new Date(),
      ...extra,
    });
    // Rows as the previous version stored them: its sync wrote no participants.
    await app.db.getModel(MESSAGES_COLLECTION).bulkCreate(
      [
        row(1, [{ name: 'Ann', address: 'Ann@Acme.test' }], [{ name: '', address: 'bob@xn--bcher-kva.test' }], {
          cc: [{ name: '', address: email }],
          replyTo: [{ name: '', address: 'ann@acme.test' }],
        }),
        row(2, [{ name: '', address: 'carol@other.test' }], [{ name: '', address: email }]),
      ],
      { hooks: false },
    );

    // The database as the previous version left it: mail stored, no participants, the migration never recorded.
    await app.db.sequelize.query(`DELETE FROM migrations WHERE name = '${MIGRATION}'`);

    await app.runCommand('upgrade');
    expect(await timesRun()).toBe(1);
    const rebuilt = (await participants().findAll({
      attributes: ['messageRowId', 'role', 'address', 'domain'],
      raw: true,
    })) as unknown as Array<{ role: string; address: string; domain: string }>;
    // The reply-to repeats From: no row of its own.
    expect(rebuilt.map((r) => `${r.role} ${r.address} ${r.domain}`).sort()).toEqual(
      [
        'from ann@acme.test acme.test',
        'to bob@bücher.test bücher.test',
        `cc ${email} example.test`,
        'from carol@other.test other.test',
        `to ${email} example.test`,
      ].sort(),
    );
    expect(await app.db.getModel(MESSAGES_COLLECTION).count()).toBe(2);

    // A second upgrade finds it recorded and does not run it again.
    await participants().destroy({ where: {}, truncate: true });
    await app.runCommand('upgrade');
    expect(await timesRun()).toBe(1);
    expect(await participants().count()).toBe(0);
  });
});
