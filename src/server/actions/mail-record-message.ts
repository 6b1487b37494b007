import type { Context, Next } from '@nocobase/actions';
import type { RecordMessageReader } from '../sharing/record-message-reader';
import { actionValues } from './mail-errors';
import { sendAttachment } from './mail-messages';
import { MailRecordsDeps, recordMessageRequest } from './mail-records';
import { readerOf } from './viewer';

/**
 * `mailRecords:get|attachment { collection, filterByTk, addressFields, domainFields, messageId [, part] }`: one
 * message of the record's list, as the list's own rules and the mailbox's sharing level allow.
 */
export function mailRecordMessageActions(deps: MailRecordsDeps & { reader: RecordMessageReader }) {
  return {
    async get(ctx: Context, next: Next) {
      ctx.body = await deps.reader.get(readerOf(ctx), await recordMessageRequest(ctx, deps));
      await next();
    },
    async attachment(ctx: Context, next: Next) {
      const part = { ...(ctx.action.params ?? {}), ...actionValues(ctx) }.part;
      sendAttachment(ctx, await deps.reader.attachment(readerOf(ctx), await recordMessageRequest(ctx, deps), part));
      await next();
    },
  };
}
