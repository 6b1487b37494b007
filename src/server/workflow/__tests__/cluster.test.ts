/**
 * Two app nodes on one PostgreSQL database (createMockCluster), both with the workflow plugin: a message delivered
 * through Postfix starts the "Mail received" workflow once, even when the other node hears the same batch stored too.
 */
import type { MockServer } from '@nocobase/test';
import { deliver, newMailboxAddress } from '../../../../test/mail-stack/client';
import { connectMailbox, pageMessage, userAgent } from '../../../../test/helpers/mail-app';
import { MailWorkflowTrigger } from '../../../shared/mail-workflow';
import type { MailEvents } from '../../events';
import PluginEmailManagerServer from '../../plugin';
import { createMailCluster, MailCluster, onPostgres } from '../../sync/__tests__/helpers/mail-cluster';
import { waitFor } from '../../sync/__tests__/helpers/reading-app';
import { createWorkflow, executionsOf } from './helpers/workflow-app';

onPostgres('"Mail received" on two nodes (createMockCluster on PostgreSQL)', () => {
  let cluster: MailCluster;
  let nodes: MockServer[];
  const plugins = () => nodes.map((n) => n.pm.get(PluginEmailManagerServer) as PluginEmailManagerServer);

  beforeAll(async () => {
    cluster = await createMailCluster({ background: true, scanIntervalMs: 500 }, ['workflow']);
    nodes = cluster.nodes;
  }, 120_000);

  afterAll(async () => {
    await cluster?.destroy();
  });

  it('starts the workflow once, though both nodes handle the stored batch', async () => {
    const email = newMailboxAddress('wfcluster');
    const { user, agent } = await userAgent(nodes[0], 'member');
    const result = pageMessage((await connectMailbox(agent, email)).callback.text);
    expect(result.ok).toBe(true);
    const workflow = await createWorkflow(nodes[0], MailWorkflowTrigger.received, {}, Number(user.get('id')));
    // The other node learns of the enabled workflow through the workflow plugin's cluster message.
    await waitFor(
      async () =>
        (nodes[1].pm.get('workflow') as unknown as { enabledCache: Map<number, unknown> }).enabledCache.has(
          workflow.id,
        ),
      { what: 'the second node to enable the workflow' },
    );
    const batches: Array<MailEvents['messagesStored']> = [];
    for (const p of plugins()) p.events.on('messagesStored', (e) => void batches.push(e));

    const messageId = await deliver({ from: 'carla@example.net', to: email, subject: 'Two nodes', text: 'Hello.' });
    await waitFor(() => executionsOf(nodes[0], workflow.id).then((l) => l.length > 0), { what: 'the workflow' });
    const batch = batches.find((b) => b.messageIds.includes(messageId))!;
    // Both nodes hand the same stored batch to their trigger: the owner did, the other one now does too.
    for (const p of plugins()) {
      await p.events.emit('messagesStored', batch);
      await p.workflows!.received.idle();
    }
    await waitFor(
      async () => (await nodes[0].db.getRepository('executions').count({ filter: { status: null } })) === 0,
      { what: 'queued executions to start' },
    );
    expect(await executionsOf(nodes[0], workflow.id)).toHaveLength(1);
  });
});
