import type { Database } from '@nocobase/database';
import { insertNewRows } from '../db/insert-new-rows';
import { WORKFLOW_DELIVERIES_COLLECTION } from './collection-names';

export interface Delivery {
  workflowKey: string;
  mailbox: string;
  messageKey: string;
}

/** The record of which message each mail workflow was started for (collections/mail-workflow-deliveries.ts). */
export class WorkflowDeliveryStore {
  constructor(private readonly db: Database) {}

  /**
   * Records the deliveries that were not recorded yet and returns those: INSERT … ON CONFLICT DO NOTHING, so of
   * two nodes or two syncs claiming the same message only one gets it back.
   */
  async claim(deliveries: Delivery[]): Promise<Delivery[]> {
    if (!deliveries.length) return [];
    const inserted = await insertNewRows(
      this.db.getModel(WORKFLOW_DELIVERIES_COLLECTION) as never,
      deliveries.map((d) => ({ workflowKey: d.workflowKey, mailbox: d.mailbox, messageKey: d.messageKey })),
      ['workflowKey', 'mailbox', 'messageKey'],
    );
    return inserted as unknown as Delivery[];
  }

  /** Gives a claim back when the workflow could not even be queued, so a later sync may start it after all. */
  async release(delivery: Delivery): Promise<void> {
    await this.db.getModel(WORKFLOW_DELIVERIES_COLLECTION).destroy({ where: { ...delivery } });
  }
}
