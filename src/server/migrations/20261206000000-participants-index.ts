import { Op } from '@nocobase/database';
import { Migration } from '@nocobase/server';
import type { MailAddress } from '../../shared/mail-reading-types';
import { participantRows, ParticipantRow } from '../records/participant-rows';
import { MESSAGES_COLLECTION } from '../store/collection-names';
import { ParticipantStore } from '../store/participant-store';

/** Message rows read per step: memory stays flat however many messages are stored. */
const CHUNK = 1000;

type StoredAddresses = { id: number | string; accountId: number | string } & Record<
  'from' | 'to' | 'cc' | 'replyTo',
  MailAddress[] | string | null
>;

/** A JSON column as the driver returns it: parsed on PostgreSQL, text on SQLite. */
function list(value: MailAddress[] | string | null): MailAddress[] {
  if (!value) return [];
  if (typeof value !== 'string') return value;
  try {
    const parsed = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/**
 * 0.3.0 adds the participants index (`mailParticipants`), which the sync fills as it stores mail. This fills it
 * for the messages stored before, in id order and in chunks, from the address columns the rows already have (the
 * envelope's sender and bcc were never kept, so those rows get from, reply-to, to and cc). Messages that already
 * have participants (stored by a sync that ran before this migration) are skipped, so it is safe to run again.
 */
export default class ParticipantsIndexMigration extends Migration {
  on = 'afterSync';
  appVersion = '';

  async up() {
    const messages = this.db.getModel(MESSAGES_COLLECTION);
    const store = new ParticipantStore(this.db);
    let afterId = 0;
    for (;;) {
      const rows = (await messages.findAll({
        attributes: ['id', 'accountId', 'from', 'to', 'cc', 'replyTo'],
        where: { id: { [Op.gt]: afterId } },
        order: [['id', 'ASC']],
        limit: CHUNK,
        raw: true,
      })) as unknown as StoredAddresses[];
      if (!rows.length) return;
      afterId = Number(rows[rows.length - 1].id);
      const indexed = new Set(await store.indexedAmong(rows.map((r) => Number(r.id))));
      const participants: ParticipantRow[] = [];
      for (const row of rows) {
        if (indexed.has(Number(row.id))) continue;
        participants.push(
          ...participantRows(
            { messageRowId: Number(row.id), accountId: Number(row.accountId) },
            { from: list(row.from), replyTo: list(row.replyTo), to: list(row.to), cc: list(row.cc) },
          ),
        );
      }
      await store.insert(participants);
    }
  }
}
