import type { Database } from '@nocobase/database';
import { MailError, MailErrorCode } from '../errors/mail-error';
import { parseId } from '../input/parse-id';
import { ACCOUNTS_COLLECTION } from '../store/collection-names';

type Row = { get(key: string): unknown };

/**
 * Who a workflow may act for: a workflow acts on a mailbox (sends from it, links its mail) only when the mailbox's
 * owner created it (the version's author: editing a used workflow makes a new version, authored by the editor), so
 * nobody with access to the workflow editor writes or files mail in another person's name.
 */
export async function mailboxForWorkflow(
  db: Database,
  workflowId: number | string,
  accountId: unknown,
): Promise<{ account: Row; ownerId: number }> {
  // A typed or variable id that is no id is a mistake to name, not a lookup for the database to refuse.
  const id = parseId(accountId, 'mailbox', 'accountId');
  const account = (await db.getModel(ACCOUNTS_COLLECTION).findByPk(id)) as Row | null;
  if (!account) throw refused('The mailbox is no longer connected.');
  const ownerId = Number(account.get('userId'));
  const workflow = (await db.getModel('workflows').findByPk(workflowId)) as Row | null;
  if (Number(workflow?.get('createdById')) !== ownerId)
    throw refused(`Only workflows created by the owner of ${account.get('address') as string} may use it.`);
  return { account, ownerId };
}

/**
 * The ids among `workflowIds` whose version `ownerId` created: the only workflows a mail trigger starts for that
 * owner's mailbox, since their executions hold the mail (body, recipients, attachments' names) for the author to
 * read; read from the database, as an enabled workflow in memory may predate a change of its author.
 */
export async function authoredBy(
  db: Database,
  workflowIds: Array<number | string>,
  ownerId: number,
): Promise<Set<string>> {
  if (!workflowIds.length) return new Set();
  const rows = (await db.getModel('workflows').findAll({
    attributes: ['id'],
    where: { id: workflowIds, createdById: ownerId },
  })) as unknown as Row[];
  return new Set(rows.map((r) => String(r.get('id'))));
}

export function refused(message: string): MailError {
  return new MailError(MailErrorCode.INVALID_INPUT, message);
}
