import type { MockServer } from '@nocobase/test';
import type { Agent } from '../../../../test/helpers/mail-app';
import { ALL_MAIL_ACL_SNIPPET, SHARED_MAIL_ACL_SNIPPET } from '../../../shared/constants';
import type { MailFolderView, MailMessageListItem } from '../../../shared/mail-reading-types';
import type { MailAccessLogEntry, SharedMessageView } from '../../../shared/shared-mail-types';
import { connectedUser, readingApp, seed, waitFor } from '../../sync/__tests__/helpers/reading-app';
import { roleWithSnippets, userInRole } from './helpers/roles';

type Owner = { agent: Agent; accountId: number; email: string };

describe("the admin's all-mail view: off by default, through the policy when on, logged for the owner", () => {
  let app: MockServer;
  let admin: Agent;
  let alice: Owner;
  let bob: Owner;
  let auditor: { id: number; agent: Agent };
  let colleague: { id: number; agent: Agent };
  let quote: MailMessageListItem;
  let doctor: MailMessageListItem;

  const allMail = (agent: Agent) => agent.resource('mailAllMail');
  const turn = async (allMailEnabled: boolean) =>
    expect((await admin.resource('mailSettings').update({ values: { allMailEnabled } })).status).toBe(200);
  const logOf = async (owner: Owner) =>
    (await owner.agent.resource('mailAccounts').accessLog()).body.data as MailAccessLogEntry[];

  beforeAll(async () => {
    ({ app, admin } = await readingApp('full'));
    const aliceEmail = `alice-${Date.now()}@example.test`;
    await seed(aliceEmail, 'INBOX', [
      {
        subject: 'Quote for ACME',
        text: 'The price is 42.',
        attachments: [
          { filename: 'quote.pdf', content: Buffer.from('%PDF-1.4 quote'), contentType: 'application/pdf' },
        ],
      },
      { subject: 'Doctor appointment', headers: { Sensitivity: 'Private' } },
    ]);
    await seed(aliceEmail, 'Personal', [{ subject: 'Family photos' }]);
    alice = await connectedUser(app, aliceEmail);
    bob = await connectedUser(app, `bob-${Date.now()}@example.test`);
    auditor = await userInRole(app, await roleWithSnippets(app, [ALL_MAIL_ACL_SNIPPET]));
    colleague = await userInRole(app, await roleWithSnippets(app, [SHARED_MAIL_ACL_SNIPPET]));
    await waitFor(async () => (await alice.agent.resource('mailMessages').list()).body.data.length === 3, {
      what: "alice's first sync",
    });
    const list = (await alice.agent.resource('mailMessages').list()).body.data as MailMessageListItem[];
    quote = list.find((m) => m.subject === 'Quote for ACME')!;
    doctor = list.find((m) => m.subject === 'Doctor appointment')!;
    const folders = (await alice.agent.resource('mailFolders').list()).body.data as MailFolderView[];
    const personal = folders.find((f) => f.path === 'Personal')!;
    await alice.agent.resource('mailFolders').setPrivate({ filterByTk: personal.id, values: { private: true } });
  }, 90_000);

  afterAll(async () => {
    await app?.destroy();
  });

  it('is off by default: 403 saying so, even for the snippet holder, and nothing is logged', async () => {
    expect((await admin.resource('mailSettings').get()).body.data.allMailEnabled).toBe(false);
    for (const call of [
      () => allMail(auditor.agent).mailboxes(),
      () => allMail(auditor.agent).list({ accountId: alice.accountId }),
      () => allMail(auditor.agent).get({ filterByTk: quote.id }),
      () => auditor.agent.get(`/mailAllMail:attachment?filterByTk=${quote.id}&part=${quote.attachments[0].part}`),
    ]) {
      const res = await call();
      expect(res.status).toBe(403);
      expect(res.body.errors[0].message).toMatch(/all-mail view is off/);
      expect(JSON.stringify(res.body)).not.toMatch(/ACME|42/);
    }
    expect(await logOf(alice)).toEqual([]);
  });

  it('when on, only holders of the all-mail snippet get in (not the admin role, not a colleague with shared mail)', async () => {
    await turn(true);
    for (const agent of [admin, colleague.agent, bob.agent]) {
      const res = await allMail(agent).get({ filterByTk: quote.id });
      expect(res.status).toBe(403);
      expect(res.body.errors[0].message).toMatch(/"All mail" permission/);
    }
    expect(await logOf(alice)).toEqual([]);
  });

  it("the holder lists a mailbox without the owner's private folders and private messages", async () => {
    const boxes = (await allMail(auditor.agent).mailboxes()).body.data;
    expect(boxes.map((b: { address: string }) => b.address)).toEqual([alice.email, bob.email]);
    const res = await allMail(auditor.agent).list({ accountId: alice.accountId });
    expect(res.status).toBe(200);
    const items = res.body.data as SharedMessageView[];
    expect(items.map((m) => m.subject)).toEqual(['Quote for ACME']);
    expect(items[0]).toMatchObject({ level: 'full', mailbox: { accountId: alice.accountId, address: alice.email } });
  });

  it('reads the body and the attachment; a private message is a 404 like a missing one', async () => {
    const res = await allMail(auditor.agent).get({ filterByTk: quote.id });
    expect(res.status).toBe(200);
    const view = res.body.data as SharedMessageView;
    expect(view).toMatchObject({ id: Number(quote.id), level: 'full', subject: 'Quote for ACME' });
    expect(view.text).toContain('The price is 42.');
    expect(view.mailbox.ownerName).toMatch(/^member-/);
    // Only allow-listed fields: no flags, folder or thread internals of the owner's mailbox.
    expect(view).not.toHaveProperty('read');
    expect(view).not.toHaveProperty('folderId');

    const file = await auditor.agent.get(
      `/mailAllMail:attachment?filterByTk=${quote.id}&part=${encodeURIComponent(quote.attachments[0].part)}`,
    );
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="quote.pdf"/);
    expect(Buffer.from(file.body).toString()).toContain('%PDF-1.4 quote');

    const hidden = await allMail(auditor.agent).get({ filterByTk: doctor.id });
    expect(hidden.status).toBe(404);
    expect(JSON.stringify(hidden.body)).not.toMatch(/Doctor/);
  });

  it("never through the owner's mailbox routes: mailMessages stays the owner's", async () => {
    expect((await auditor.agent.resource('mailMessages').get({ filterByTk: quote.id })).status).toBe(404);
    expect((await auditor.agent.resource('mailMessages').list({ accountId: alice.accountId })).status).toBe(404);
  });

  it('the owner sees every read in the log, newest first; nobody else sees it', async () => {
    const log = await logOf(alice);
    expect(log.map((e) => [e.action, e.messageId, e.part])).toEqual([
      ['attachment', Number(quote.id), quote.attachments[0].part],
      ['get', Number(quote.id), null],
      ['list', null, null],
    ]);
    for (const e of log) {
      expect(e).toMatchObject({ accountId: alice.accountId, via: 'allMail', viewer: { id: auditor.id } });
      expect(e.viewer.name).toMatch(/^r_/);
    }
    expect(log[0].messageRfcId).toMatch(/@/);
    expect(await logOf(bob)).toEqual([]);
    expect((await bob.agent.resource('mailAccounts').accessLog({ filterByTk: alice.accountId })).body.data).toEqual([]);
    expect((await auditor.agent.resource('mailAccounts').accessLog()).body.data).toEqual([]);
  });

  it('off again: closed again', async () => {
    await turn(false);
    expect((await allMail(auditor.agent).get({ filterByTk: quote.id })).status).toBe(403);
  });
});
