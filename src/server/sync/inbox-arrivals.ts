import type { ImapFlow } from 'imapflow';
import type { FolderStore } from '../store/folder-store';
import type { MessageStore } from '../store/message-store';
import { fetchRecords } from './fetch-messages';
import { highestUid } from './folder-sync';

export interface ArrivalDeps {
  messages: MessageStore;
  folders: FolderStore;
}

/**
 * New mail that IDLE announced (EXISTS) in the Inbox the session has selected, stored without leaving it: one UID
 * FETCH from the stored UIDNEXT on (and one for the text parts' first bytes). No CLOSE, STATUS or EXAMINE, and no flags pass
 * (on Outlook, which lacks CONDSTORE, that pass reads the flags of the whole Inbox), which a full Inbox sync pays
 * for every new message. Answers false, having stored nothing, whenever the selected Inbox is not simply the stored
 * one plus new messages (another UIDVALIDITY, fewer messages than the new UIDs explain): the caller then
 * runs the full Inbox sync, which sorts out anything.
 */
export async function storeInboxArrivals(client: ImapFlow, accountId: number, deps: ArrivalDeps): Promise<boolean> {
  const selected = client.mailbox;
  if (!selected || !client.usable) return false;
  const inbox = await deps.folders.inbox(accountId);
  if (!inbox || inbox.path !== selected.path) return false;
  const { uidValidity, uidNext, messages } = inbox.cursor;
  if (uidValidity === null || uidNext === null || messages === null) return false;
  if (BigInt(uidValidity) !== BigInt(selected.uidValidity)) return false;

  const lock = await client.getMailboxLock(inbox.path, { readOnly: true, description: 'new mail' });
  try {
    // Lock granted on the Inbox already selected: no SELECT was sent, and `selected` is still the mailbox.
    if (client.mailbox !== selected) return false;
    const records = await fetchRecords(client, { from: uidNext }, { accountId, folderId: inbox.id });
    // EXISTS counts what the FETCH saw, and mail that came after it (whose own EXISTS queued the next push). Fewer
    // means something was also expunged: the Inbox sync compares the stored UIDs.
    const count = messages + records.length;
    if (selected.exists < count) return false;
    if (!records.length) return true;
    await deps.messages.insert(records);
    await deps.folders.saveArrivals(
      inbox.id,
      { uidNext: highestUid(records.map((r) => r.uid)) + 1, messages: count },
      records.filter((r) => !r.read).length,
    );
    return true;
  } finally {
    lock.release();
  }
}
