/**
 * "Mail received" with the real workflow plugin and the real mail stack: mail delivered through Postfix starts a
 * workflow once, and nothing that stores the same message again (a resync, a move and back, a UIDVALIDITY rebuild,
 * a reconnect, a restart of the trigger's node) starts it a second time; pre-filters and "existing mail" hold.
 */
import type { MockServer } from '@nocobase/test';
import { deliver } from '../../../../test/mail-stack/client';
import { connectMailbox, userAgent } from '../../../../test/helpers/mail-app';
import type { MailFolderView } from '../../../shared/mail-reading-types';
import { MailboxSelection, MailWorkflowTrigger } from '../../../shared/mail-workflow';
import { connectedUser, imapClient, startSync, waitFor } from '../../compose/__tests__/helpers/sending-app';
import type { MailEvents } from '../../events';
import type { PluginEmailManagerServer } from '../../plugin';
import { createWorkflow, executionsOf, workflowApp } from './helpers/workflow-app';

describe('the "Mail received" trigger', () => {
  let app: MockServer;
  let plugin: PluginEmailManagerServer;
  let user: Awaited<ReturnType<typeof connectedUser>>;
  const stored: Array<MailEvents['messagesStored']> = [];

  const sync = async () =>
    expect((await user.agent.resource('mailAccounts').sync({ filterByTk: user.accountId })).status).toBe(200);
  /** Waits until every event handed to the triggers is handled and the workflows it queued have executions. */
  const settle = async () => {
    await plugin.workflows!.received.idle();
    await waitFor(async () => (await app.db.getRepository('executions').count({ filter: { status: null } })) === 0, {
      what: 'queued executions to start',
    });
  };
  const folder = async (role: string) =>
    ((await user.agent.resource('mailFolders').list()).body.data as MailFolderView[]).find(
      (f) => f.role === role && Number(f.accountId) === user.accountId,
    )!;
  /** Whether a messagesStored since `from` held the message with this Message-ID: the work did store it again. */
  const storedAgain = (messageId: string, from: number) =>
    stored.slice(from).some((e) => e.messageIds.includes(messageId));

  beforeAll(async () => {
    ({ app, plugin } = await workflowApp());
    plugin.events.on('messagesStored', (e) => void stored.push(e));
    user = await connectedUser(app, 'wfrecv');
    startSync(app);
  }, 90_000);

  afterAll(async () => {
    await app?.destroy();
  });

  describe('a message delivered through Postfix', () => {
    let workflowId: number;
    let messageId: string;
    const subject = 'Quote request 4711';

    beforeAll(async () => {
      workflowId = (await createWorkflow(app, MailWorkflowTrigger.received, {}, Number(user.user.get('id')))).id;
      messageId = await deliver({
        from: 'Carla Customer <carla@example.net>',
        to: user.email,
        subject,
        text: 'Please send a quote for 12 chairs.',
        attachments: [{ filename: 'plan.pdf', content: Buffer.from('%PDF-1.4 plan'), contentType: 'application/pdf' }],
      });
      await waitFor(() => executionsOf(app, workflowId).then((list) => list.length > 0), {
        what: 'the workflow to start',
      });
      await settle();
    }, 60_000);

    it('starts the workflow once, with the message, its body and the mailbox as variables', async () => {
      const executions = await executionsOf(app, workflowId);
      expect(executions).toHaveLength(1);
      const { message, mailbox } = executions[0].context;
      expect(message).toMatchObject({
        messageId,
        subject,
        fromAddress: 'carla@example.net',
        from: [{ name: 'Carla Customer', address: 'carla@example.net' }],
        to: [expect.objectContaining({ address: user.email })],
        folder: expect.objectContaining({ role: 'inbox' }),
        hasAttachments: true,
        attachments: [expect.objectContaining({ filename: 'plan.pdf', contentType: 'application/pdf' })],
      });
      expect(message.text).toContain('12 chairs');
      expect(message.snippet).toContain('12 chairs');
      expect(mailbox).toMatchObject({
        accountId: user.accountId,
        address: user.email,
        ownerId: Number(user.user.get('id')),
        owner: expect.objectContaining({ id: Number(user.user.get('id')) }),
      });
    });

    it('a full resync stores nothing twice and starts nothing more', async () => {
      await sync();
      await settle();
      expect(await executionsOf(app, workflowId)).toHaveLength(1);
    });

    it('a move to another folder and back (by another mail client) stores it again and starts nothing more', async () => {
      const from = stored.length;
      const client = await imapClient(user.email);
      try {
        await client.mailboxOpen('INBOX');
        await client.messageMove({ header: { 'message-id': messageId } }, 'Archive');
        await sync();
        await client.mailboxOpen('Archive');
        await client.messageMove({ header: { 'message-id': messageId } }, 'INBOX');
      } finally {
        await client.logout().catch(() => undefined);
      }
      await sync();
      expect(storedAgain(messageId, from)).toBe(true);
      await settle();
      expect(await executionsOf(app, workflowId)).toHaveLength(1);
    });

    it('a UIDVALIDITY rebuild of the Inbox stores it again and starts nothing more', async () => {
      const inbox = await folder('inbox');
      // What the sync sees when the server renumbered the folder: a stored UIDVALIDITY that is not the server's.
      await app.db.getModel('mailFolders').update({ uidValidity: '1' }, { where: { id: inbox.id }, hooks: false });
      const from = stored.length;
      await sync();
      expect(storedAgain(messageId, from)).toBe(true);
      await settle();
      expect(await executionsOf(app, workflowId)).toHaveLength(1);
    });

    it('reconnecting the mailbox starts nothing more', async () => {
      await connectMailbox(user.agent, user.email);
      await sync();
      await settle();
      expect(await executionsOf(app, workflowId)).toHaveLength(1);
    });

    it('after a restart (a fresh trigger with nothing in memory), storing it again starts nothing more', async () => {
      const received = plugin.workflows!.received;
      const workflow = (await app.db.getModel('workflows').findByPk(workflowId))!;
      // The enabled workflows a restarted node knows are only those it reads from the database again.
      received.off(workflow as never);
      received.on(workflow as never);
      const inbox = await folder('inbox');
      await app.db.getModel('mailFolders').update({ uidValidity: '2' }, { where: { id: inbox.id }, hooks: false });
      const from = stored.length;
      await sync();
      expect(storedAgain(messageId, from)).toBe(true);
      await settle();
      expect(await executionsOf(app, workflowId)).toHaveLength(1);
    });
  });

  it('a pre-filter that does not match starts nothing; one that matches starts its workflow', async () => {
    const author = Number(user.user.get('id'));
    // Configs of the wrong shape, as the workflow API saves them: they start nothing, and stop no other workflow.
    const malformed = [
      await createWorkflow(
        app,
        MailWorkflowTrigger.received,
        { mailboxes: MailboxSelection.roles, roles: 'member' },
        author,
      ),
      await createWorkflow(app, MailWorkflowTrigger.received, { from: { contains: 'acme' } }, author),
    ];
    const invoices = await createWorkflow(app, MailWorkflowTrigger.received, { subject: 'invoice' }, author);
    const withFiles = await createWorkflow(app, MailWorkflowTrigger.received, { hasAttachments: true }, author);
    const fromAcme = await createWorkflow(app, MailWorkflowTrigger.received, { from: '@acme.example' }, author);
    const sentFolder = await createWorkflow(app, MailWorkflowTrigger.received, { folderRoles: ['sent'] }, author);
    await deliver({ from: 'news@acme.example', to: user.email, subject: 'Weekly news', text: 'Nothing to see.' });
    await waitFor(() => executionsOf(app, fromAcme.id).then((l) => l.length === 1), { what: 'the matching workflow' });
    await settle();
    expect(await executionsOf(app, invoices.id)).toHaveLength(0);
    expect(await executionsOf(app, withFiles.id)).toHaveLength(0);
    expect(await executionsOf(app, sentFolder.id)).toHaveLength(0);
    for (const w of malformed) expect(await executionsOf(app, w.id)).toHaveLength(0);
  });

  it("another user's workflow starts for none of the mailbox's mail, however it names the mailbox", async () => {
    const { user: colleague } = await userAgent(app, 'member');
    const other = Number(colleague.get('id'));
    const watchers = [
      await createWorkflow(app, MailWorkflowTrigger.received, {}, other),
      await createWorkflow(
        app,
        MailWorkflowTrigger.received,
        { mailboxes: MailboxSelection.accounts, accountIds: [user.accountId] },
        other,
      ),
      await createWorkflow(
        app,
        MailWorkflowTrigger.received,
        { mailboxes: MailboxSelection.roles, roles: ['member'] },
        other,
      ),
    ];
    const own = await createWorkflow(
      app,
      MailWorkflowTrigger.received,
      { subject: 'salary' },
      Number(user.user.get('id')),
    );
    await deliver({ from: 'hr@example.net', to: user.email, subject: 'Your salary review', text: 'Confidential.' });
    await waitFor(() => executionsOf(app, own.id).then((l) => l.length === 1), { what: "the owner's workflow" });
    await settle();
    for (const w of watchers) expect(await executionsOf(app, w.id)).toHaveLength(0);
  });

  it('mail that was in the mailbox before it was connected starts nothing, unless the workflow includes it', async () => {
    const author = Number(user.user.get('id'));
    const newOnly = await createWorkflow(app, MailWorkflowTrigger.received, {}, author);
    const existing = await createWorkflow(app, MailWorkflowTrigger.received, { includeExisting: true }, author);
    // Another mail client files a message received before the mailbox was connected (its INTERNALDATE is older).
    const client = await imapClient(user.email);
    try {
      const raw = [
        'From: Old Friend <old@example.net>',
        `To: ${user.email}`,
        'Subject: From long ago',
        'Message-ID: <long-ago@example.net>',
        'Date: Mon, 1 Jan 2024 10:00:00 +0000',
        '',
        'Hello from the past.',
      ].join('\r\n');
      await client.append('INBOX', raw, [], new Date('2024-01-01T10:00:00Z'));
    } finally {
      await client.logout().catch(() => undefined);
    }
    await sync();
    await waitFor(() => executionsOf(app, existing.id).then((l) => l.length === 1), {
      what: 'the "existing" workflow',
    });
    await settle();
    expect(await executionsOf(app, newOnly.id)).toHaveLength(0);
  });
});
