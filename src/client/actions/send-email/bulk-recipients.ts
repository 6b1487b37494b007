/**
 * A bulk "Send email" on a table selection: one message per selected record, from the action's settings. No React
 * here: table-tested in __tests__.
 */
import { addressesFrom, bodyHtml, fillTemplate, type SendEmailSettings } from './action-settings';

/** One record's message, as the dialog lists it and the server is asked to send it. */
export interface BulkRecipient {
  recordKey: string | number;
  /** The record as a person knows it: its title field, else its key. */
  title: string;
  to: string[];
  cc: string[];
  subject: string;
  html: string;
}

export interface BulkPlan {
  ready: BulkRecipient[];
  /** Selected records without an address in the To fields: no message for them. */
  skipped: Array<{ recordKey: string | number; title: string }>;
}

/**
 * The messages for the selected rows: To and Cc from the chosen fields of each row, subject and body from the
 * templates filled with that row's values. A row selected twice (several pages) counts once.
 */
export function bulkRecipients(
  rows: Array<Record<string, unknown>>,
  settings: Pick<SendEmailSettings, 'to' | 'cc'>,
  templates: { subject: string; body: string },
  keyField: string,
  titleField?: string,
): BulkPlan {
  const plan: BulkPlan = { ready: [], skipped: [] };
  const seen = new Set<string>();
  for (const row of rows) {
    const recordKey = row[keyField];
    if (typeof recordKey !== 'string' && typeof recordKey !== 'number') continue;
    if (seen.has(String(recordKey))) continue;
    seen.add(String(recordKey));
    const titleValue = titleField ? row[titleField] : undefined;
    const title =
      typeof titleValue === 'string' || typeof titleValue === 'number' ? String(titleValue) : String(recordKey);
    const to = addressesFrom(row, settings.to);
    if (!to.length) {
      plan.skipped.push({ recordKey, title });
      continue;
    }
    plan.ready.push({
      recordKey,
      title,
      to,
      cc: addressesFrom(row, settings.cc),
      subject: fillTemplate(templates.subject, row, 'text'),
      html: bodyHtml(templates.body, row),
    });
  }
  return plan;
}
