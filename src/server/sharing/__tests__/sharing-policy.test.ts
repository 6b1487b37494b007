import type { MockServer } from '@nocobase/test';
import type { Agent } from '../../../../test/helpers/mail-app';
import { SHARED_MAIL_ACL_SNIPPET } from '../../../shared/constants';
import type { MailFolderView } from '../../../shared/mail-reading-types';
import type PluginEmailManagerServer from '../../plugin';
import { MESSAGES_COLLECTION } from '../../store/collection-names';
import { connectedUser, readingApp, seed, waitFor } from '../../sync/__tests__/helpers/reading-app';
import { rolesHoldSnippet } from '../viewer-grants';
import { roleWithSnippets, userInRole } from './helpers/roles';

type Owner = { agent: Agent; accountId: number; email: string; user: { get(k: string): unknown } };

describe('sharing policy: levels, bounds, private folders and messages, viewer scopes', () => {
  let app: MockServer;
  let plugin: PluginEmailManagerServer;
  let admin: Agent;
  let alice: Owner;
  let bob: Owner;
  let colleagues: string;
  let carol: { id: number; agent: Agent };
  let personal: MailFolderView;

  const settings = (values: Record<string, unknown>) => admin.resource('mailSettings').update({ values });
  const account = async (owner: Owner) =>
    (await owner.agent.resource('mailAccounts').get({ filterByTk: owner.accountId })).body.data;
  const setLevel = (owner: Owner, level: unknown, accountId = owner.accountId) =>
    owner.agent.resource('mailAccounts').setSharing({ filterByTk: accountId, values: { level } });
  const subjectsReached = async (userId: number, mayViewShared: boolean) => {
    const scopes = await plugin.sharing.scopesFor({ userId, mayViewShared });
    const rows = (await app.db.getModel(MESSAGES_COLLECTION).findAll({
      attributes: ['subject'],
      where: await plugin.sharing.messageWhere(scopes),
      raw: true,
    })) as unknown as { subject: string }[];
    return rows.map((r) => r.subject).sort();
  };

  beforeAll(async () => {
    let reading;
    ({ app, plugin, admin, reading } = await readingApp('full'));
    void reading;
    const aliceEmail = `alice-${Date.now()}@example.test`;
    await seed(aliceEmail, 'INBOX', [
      { subject: 'Quote for ACME' },
      { subject: 'Doctor appointment', headers: { Sensitivity: 'Private' } },
      { subject: 'Team lunch', headers: { Sensitivity: 'Personal' } },
    ]);
    await seed(aliceEmail, 'Personal', [{ subject: 'Family photos' }]);
    alice = await connectedUser(app, aliceEmail);
    bob = await connectedUser(app, `bob-${Date.now()}@example.test`);
    colleagues = await roleWithSnippets(app, [SHARED_MAIL_ACL_SNIPPET]);
    carol = await userInRole(app, colleagues);
    await waitFor(async () => (await alice.agent.resource('mailMessages').list()).body.data.length === 4, {
      what: "alice's first sync",
    });
    const folders = (await alice.agent.resource('mailFolders').list()).body.data as MailFolderView[];
    personal = folders.find((f) => f.path === 'Personal')!;
  }, 90_000);

  afterAll(async () => {
    await app?.destroy();
  });

  it('a mailbox starts private, and the owner sees the level in force', async () => {
    expect(await account(alice)).toMatchObject({ sharingLevel: 'private', effectiveSharingLevel: 'private' });
  });

  it('the owner sets the level; a bad level is a 400 that names the choices, and changes nothing', async () => {
    const bad = await setLevel(alice, 'everyone');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].message).toMatch(/private, metadata, subject, full/);
    expect((await account(alice)).sharingLevel).toBe('private');
    const res = await setLevel(alice, 'subject');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      id: alice.accountId,
      sharingLevel: 'subject',
      effectiveSharingLevel: 'subject',
    });
  });

  it("nobody sets another owner's level or folder switch: 404, as if it did not exist", async () => {
    expect((await setLevel(bob, 'full', alice.accountId)).status).toBe(404);
    const folderSwitch = await bob.agent
      .resource('mailFolders')
      .setPrivate({ filterByTk: personal.id, values: { private: true } });
    expect(folderSwitch.status).toBe(404);
    expect((await account(alice)).sharingLevel).toBe('subject');
  });

  it('the snippet is what grants colleagues: the role holding it has it, member and admin do not', () => {
    expect(rolesHoldSnippet(app.acl, [colleagues], SHARED_MAIL_ACL_SNIPPET)).toBe(true);
    expect(rolesHoldSnippet(app.acl, ['member'], SHARED_MAIL_ACL_SNIPPET)).toBe(false);
    expect(rolesHoldSnippet(app.acl, ['admin'], SHARED_MAIL_ACL_SNIPPET)).toBe(false);
    expect(rolesHoldSnippet(app.acl, ['root'], SHARED_MAIL_ACL_SNIPPET)).toBe(false);
  });

  it("scopes: own mailbox at full; with the snippet, colleagues' non-private mailboxes at their level", async () => {
    const bobId = Number(bob.user.get('id'));
    const aliceId = Number(alice.user.get('id'));
    expect(await plugin.sharing.scopesFor({ userId: bobId, mayViewShared: false })).toEqual([
      { accountId: bob.accountId, ownerId: bobId, own: true, level: 'full' },
    ]);
    // Bob's mailbox is private: the snippet gives Carol Alice's only.
    expect(await plugin.sharing.scopesFor({ userId: carol.id, mayViewShared: true })).toEqual([
      { accountId: alice.accountId, ownerId: aliceId, own: false, level: 'subject' },
    ]);
    expect(await plugin.sharing.scopesFor({ userId: carol.id, mayViewShared: false })).toEqual([]);
  });

  it("the admin's bounds clamp every mailbox; a minimum above the maximum is refused", async () => {
    const aliceId = Number(alice.user.get('id'));
    expect((await settings({ sharingMaxLevel: 'metadata' })).status).toBe(200);
    expect(await account(alice)).toMatchObject({ sharingLevel: 'subject', effectiveSharingLevel: 'metadata' });
    expect((await plugin.sharing.scopesFor({ userId: carol.id, mayViewShared: true }))[0]).toMatchObject({
      accountId: alice.accountId,
      level: 'metadata',
    });

    const clash = await settings({ sharingMinLevel: 'full' });
    expect(clash.status).toBe(400);
    expect(clash.body.errors[0].message).toMatch(/minimum sharing level \(full\) is above the maximum \(metadata\)/);

    // "Everything on records": a minimum raises Bob's private mailbox too.
    expect((await settings({ sharingMaxLevel: null, sharingMinLevel: 'full' })).status).toBe(200);
    const scopes = await plugin.sharing.scopesFor({ userId: carol.id, mayViewShared: true });
    expect(scopes.map((s) => [s.accountId, s.level])).toEqual([
      [alice.accountId, 'full'],
      [bob.accountId, 'full'],
    ]);
    // The owner's own view is never clamped.
    expect((await plugin.sharing.scopesFor({ userId: aliceId, mayViewShared: true }))[0]).toMatchObject({
      accountId: alice.accountId,
      own: true,
      level: 'full',
    });

    // "Never": a maximum of private shares nothing with anyone.
    expect((await settings({ sharingMinLevel: null, sharingMaxLevel: 'private' })).status).toBe(200);
    expect(await plugin.sharing.scopesFor({ userId: carol.id, mayViewShared: true })).toEqual([]);
    expect((await settings({ sharingMaxLevel: 'nobody' })).status).toBe(400);
    expect((await settings({ sharingMaxLevel: null })).status).toBe(200);
  });

  it('a member cannot change the sharing bounds', async () => {
    const res = await bob.agent.resource('mailSettings').update({ values: { sharingMinLevel: 'full' } });
    expect(res.status).toBe(403);
  });

  it('the sync stores the sender\'s "Private" mark, and only that mark', async () => {
    const rows = (await app.db.getModel(MESSAGES_COLLECTION).findAll({
      attributes: ['subject', 'sensitivityPrivate'],
      where: { accountId: alice.accountId },
      raw: true,
    })) as unknown as { subject: string; sensitivityPrivate: boolean | number }[];
    const marked = Object.fromEntries(rows.map((r) => [r.subject, !!r.sensitivityPrivate]));
    expect(marked).toEqual({
      'Quote for ACME': false,
      'Doctor appointment': true,
      'Team lunch': false,
      'Family photos': false,
    });
  });

  it('shared scopes leave out private messages and private folders; the owner keeps everything', async () => {
    const aliceId = Number(alice.user.get('id'));
    expect(await subjectsReached(carol.id, true)).toEqual(['Family photos', 'Quote for ACME', 'Team lunch']);

    const res = await alice.agent
      .resource('mailFolders')
      .setPrivate({ filterByTk: personal.id, values: { private: true } });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ id: Number(personal.id), private: true });
    expect(await subjectsReached(carol.id, true)).toEqual(['Quote for ACME', 'Team lunch']);
    expect(await subjectsReached(aliceId, true)).toEqual([
      'Doctor appointment',
      'Family photos',
      'Quote for ACME',
      'Team lunch',
    ]);
    // Without the snippet Carol reaches nothing; Bob, his own (empty) mailbox only.
    expect(await subjectsReached(carol.id, false)).toEqual([]);
    expect(await subjectsReached(Number(bob.user.get('id')), false)).toEqual([]);

    expect(
      (await alice.agent.resource('mailFolders').setPrivate({ filterByTk: personal.id, values: { private: 'yes' } }))
        .status,
    ).toBe(400);
    await alice.agent.resource('mailFolders').setPrivate({ filterByTk: personal.id, values: { private: false } });
    expect(await subjectsReached(carol.id, true)).toEqual(['Family photos', 'Quote for ACME', 'Team lunch']);
  });
});
