/**
 * "Send email" and "Mail sent" with the real workflow plugin and mail stack: a workflow that files a ticket from
 * the mail and replies leaves one ticket and one reply at the sink even when SMTP was down for the first attempt;
 * the reply is threaded; the mail is linked to the ticket; "Mail sent" hears it once; a workflow may not send from
 * a mailbox its author does not own; without the file manager, the node that needs it fails saying so.
 */
import type { MockServer } from '@nocobase/test';
import { usePrivateMailStack } from '../../../../test/helpers/private-mail-stack';
import { readSink } from '../../../../test/mail-stack/client';
import { MailWorkflowInstruction, MailWorkflowTrigger, SendFrom } from '../../../shared/mail-workflow';
import {
  connectedUser,
  imapClient,
  startPostfixAgain,
  startSync,
  stopPostfix,
  waitFor,
} from '../../compose/__tests__/helpers/sending-app';
import type { PluginEmailManagerServer } from '../../plugin';
import { createWorkflow, ExecutionRow, executionsOf, workflowApp } from './helpers/workflow-app';

// This suite stops Postfix on purpose: it gets a stack of its own.
usePrivateMailStack('wf-send');

const RESOLVED = 1;
const FAILED = -1;

describe('the "Send email" node and the "Mail sent" trigger', () => {
  let app: MockServer;
  let plugin: PluginEmailManagerServer;
  let user: Awaited<ReturnType<typeof connectedUser>>;
  let colleague: Awaited<ReturnType<typeof connectedUser>>;

  /** Files a message in the Inbox as another mail client would, then lets the plugin sync it. */
  const receive = async (from: string, subject: string, messageId: string, mailbox = user) => {
    const client = await imapClient(mailbox.email);
    try {
      const raw = [
        `From: ${from}`,
        `To: ${mailbox.email}`,
        `Subject: ${subject}`,
        `Message-ID: ${messageId}`,
        `Date: ${new Date().toUTCString()}`,
        '',
        'My order has not arrived.',
      ].join('\r\n');
      await client.append('INBOX', raw);
    } finally {
      await client.logout().catch(() => undefined);
    }
    expect((await mailbox.agent.resource('mailAccounts').sync({ filterByTk: mailbox.accountId })).status).toBe(200);
  };
  const finished = (workflowId: number) =>
    waitFor(
      async () => {
        const [execution] = await executionsOf(app, workflowId);
        return execution && execution.status !== null && execution.status !== 0 ? execution : null;
      },
      { what: 'the execution to finish', timeoutMs: 40_000 },
    );

  beforeAll(async () => {
    ({ app, plugin } = await workflowApp());
    user = await connectedUser(app, 'wfsend');
    colleague = await connectedUser(app, 'wfcolleague');
    startSync(app);
  }, 90_000);

  afterAll(async () => {
    await startPostfixAgain().catch(() => undefined);
    await app?.destroy();
  });

  describe('a ticket and a reply, with SMTP down for the first attempt', () => {
    const customer = `carla.${Date.now()}@example.net`;
    let ticketFlow: number;
    let sentFlow: number;
    let colleagueSentFlow: number;
    let execution: ExecutionRow;

    beforeAll(async () => {
      const author = Number(user.user.get('id'));
      ticketFlow = (
        await createWorkflow(app, MailWorkflowTrigger.received, { subject: 'order' }, author, [
          {
            key: 'ticket',
            type: 'create',
            config: {
              collection: 'tickets',
              params: {
                values: { subject: '{{$context.message.subject}}', customer: '{{$context.message.fromAddress}}' },
              },
            },
          },
          {
            type: MailWorkflowInstruction.linkEmail,
            config: { collection: 'tickets', recordKey: '{{$jobsMapByNodeKey.ticket.id}}' },
          },
          {
            type: MailWorkflowInstruction.sendEmail,
            config: {
              replyToTrigger: true,
              html: '<p>We filed your message "{{$context.message.subject}}" as a ticket.</p>',
            },
          },
        ])
      ).id;
      sentFlow = (await createWorkflow(app, MailWorkflowTrigger.sent, {}, author)).id;
      colleagueSentFlow = (await createWorkflow(app, MailWorkflowTrigger.sent, {}, Number(colleague.user.get('id'))))
        .id;

      await stopPostfix();
      await receive(`Carla <${customer}>`, 'Where is my order?', '<order-1@example.net>');
      // The first attempt failed: the reply waits in the outbox, the execution waits for it.
      await waitFor(
        async () => {
          const row = await app.db.getModel('mailOutbox').findOne({ where: { accountId: user.accountId } });
          return row && row.get('state') === 'failed' ? row : null;
        },
        { what: 'the first attempt to fail' },
      );
      await startPostfixAgain();
      execution = await finished(ticketFlow);
    }, 90_000);

    it('the execution resolves, with the sent message as the node result', () => {
      expect(execution.status).toBe(RESOLVED);
      const send = execution.jobs.find((j) => j.result && typeof j.result === 'object' && 'state' in j.result);
      expect(send?.result).toMatchObject({ state: 'sent', reason: null });
    });

    it('links the message to the ticket it created', async () => {
      const [ticket] = await app.db.getRepository('tickets').find();
      const links = await app.db.getModel('mailLinks').findAll({ raw: true });
      expect(links).toEqual([
        expect.objectContaining({
          collectionName: 'tickets',
          kind: 'message',
          recordKey: String(ticket.get('id')),
          mailKey: '<order-1@example.net>',
        }),
      ]);
    });

    it('leaves one ticket and one threaded reply at the sink', async () => {
      expect(await app.db.getRepository('tickets').find()).toEqual([
        expect.objectContaining({ subject: 'Where is my order?', customer }),
      ]);
      const replies = await waitFor(() => readSink({ to: customer }).then((l) => (l.length ? l : null)), {
        what: 'the reply at the sink',
      });
      expect(replies).toHaveLength(1);
      expect(replies[0].parsed.subject).toBe('Re: Where is my order?');
      expect(replies[0].parsed.inReplyTo).toBe('<order-1@example.net>');
      expect(replies[0].parsed.html).toContain('as a ticket');
      expect(await app.db.getModel('mailOutbox').count({ where: { accountId: user.accountId } })).toBe(1);
    });

    it('"Mail sent" starts once for the reply, and never for a workflow of someone else', async () => {
      const executions = await waitFor(() => executionsOf(app, sentFlow).then((l) => (l.length ? l : null)), {
        what: 'the "Mail sent" workflow',
      });
      await plugin.workflows!.sent.idle();
      expect(await executionsOf(app, sentFlow)).toHaveLength(1);
      expect(await executionsOf(app, colleagueSentFlow)).toHaveLength(0);
      expect(executions[0].context.message).toMatchObject({
        mode: 'reply',
        to: [expect.objectContaining({ address: customer })],
        subject: 'Re: Where is my order?',
        inReplyTo: '<order-1@example.net>',
      });
    });
  });

  it('a workflow whose author does not own the mailbox it sends from fails the node, saying why, and sends nothing', async () => {
    const customer = `dana.${Date.now()}@example.net`;
    // The colleague's workflow on the colleague's own mailbox, told to send from the user's.
    const flow = await createWorkflow(
      app,
      MailWorkflowTrigger.received,
      { subject: 'refund' },
      Number(colleague.user.get('id')),
      [
        {
          type: MailWorkflowInstruction.sendEmail,
          config: {
            from: SendFrom.account,
            accountId: user.accountId,
            to: customer,
            subject: 'Your refund',
            html: '<p>Refund on its way.</p>',
          },
        },
      ],
    );
    await receive(`Dana <${customer}>`, 'A refund please', '<refund-1@example.net>', colleague);
    const execution = await finished(flow.id);
    expect(execution.status).toBe(FAILED);
    expect(execution.jobs[0].result).toMatchObject({
      state: 'failed',
      reason: `Only workflows created by the owner of ${user.email} may use it.`,
    });
    expect(await readSink({ to: customer })).toHaveLength(0);
  });

  it('without the file manager, "Save email attachments" fails the node saying it is needed', async () => {
    const flow = await createWorkflow(
      app,
      MailWorkflowTrigger.received,
      { subject: 'invoice' },
      Number(user.user.get('id')),
      [{ type: MailWorkflowInstruction.saveAttachments, config: {} }],
    );
    await receive('Ivan <ivan@example.net>', 'An invoice', '<invoice-1@example.net>');
    const execution = await finished(flow.id);
    expect(execution.status).toBe(FAILED);
    expect(execution.jobs[0].result).toEqual({
      files: [],
      reason: 'This node needs the file manager plugin: an administrator enables "File manager" in the plugin manager.',
    });
  });

  it('a mailbox id that is no id fails the node saying so, on either database', async () => {
    const flow = await createWorkflow(
      app,
      MailWorkflowTrigger.received,
      { subject: 'typo' },
      Number(user.user.get('id')),
      ['1.5', 'abc', '9'.repeat(400)].map((accountId) => ({
        type: MailWorkflowInstruction.sendEmail,
        config: { from: SendFrom.account, accountId, to: 'nobody@example.net', html: 'x', ignoreFail: true },
      })),
    );
    await receive('Tom <tom@example.net>', 'A typo', '<typo-1@example.net>');
    const execution = await finished(flow.id);
    expect(execution.jobs.map((j) => j.result?.reason)).toEqual(
      Array(3).fill('The mailbox id (accountId) must be a whole number from 1 up.'),
    );
  });
});
