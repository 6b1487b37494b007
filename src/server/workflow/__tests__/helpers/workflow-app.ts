/**
 * A NocoBase app with the plugin and the real workflow plugin, pointed at the local mail stack, and the means to
 * build workflows as the editor saves them (a workflow row, then its nodes in a chain).
 */
import type { MockServer } from '@nocobase/test';
import { sendingApp } from '../../../compose/__tests__/helpers/sending-app';

type Model = { id: number; get(key: string): unknown; [key: string]: unknown };

export async function workflowApp(pluginOptions: Record<string, unknown> = {}, extraPlugins: string[] = []) {
  const made = await sendingApp(
    {},
    { workflow: { sendRetryDelaysMs: [500, 1000, 2000, 4000, 8000] }, ...pluginOptions },
    ['workflow', ...extraPlugins],
  );
  made.app.db.collection({
    name: 'tickets',
    fields: [
      { name: 'subject', type: 'string' },
      { name: 'customer', type: 'string' },
    ],
  });
  await made.app.db.getCollection('tickets').sync();
  return made;
}

/**
 * An enabled workflow of `type` with `config`, created by `authorId` (who may send from their own mailbox), with
 * `nodes` one after the other.
 */
export async function createWorkflow(
  app: MockServer,
  type: string,
  config: Record<string, unknown>,
  authorId: number,
  nodes: Array<{ type: string; key?: string; config: Record<string, unknown> }> = [],
): Promise<Model> {
  const Workflow = app.db.getCollection('workflows').model;
  const workflow = (await Workflow.create({ title: `mail ${type}`, enabled: true, type, config })) as unknown as Model;
  await app.db.getModel('workflows').update({ createdById: authorId }, { where: { id: workflow.id }, hooks: false });
  let upstream: Model | null = null;
  for (const node of nodes) {
    const created = (await (workflow as unknown as { createNode(v: object): Promise<Model> }).createNode({
      ...node,
      upstreamId: upstream?.id ?? null,
    })) as Model;
    if (upstream) await (upstream as unknown as { setDownstream(n: Model): Promise<void> }).setDownstream(created);
    upstream = created;
  }
  return workflow;
}

export interface ExecutionRow {
  id: number;
  status: number | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the variables as the trigger stored them
  context: Record<string, any>;
  jobs: Array<{ status: number; result: Record<string, unknown> | null; nodeId: number }>;
}

/** The workflow's executions with their jobs, oldest first. */
export async function executionsOf(app: MockServer, workflowId: number): Promise<ExecutionRow[]> {
  const rows = await app.db.getRepository('executions').find({
    filter: { workflowId },
    appends: ['jobs'],
    sort: ['id'],
  });
  return rows.map((r: { toJSON(): unknown }) => r.toJSON() as ExecutionRow);
}
