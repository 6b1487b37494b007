import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Context, Next } from '@nocobase/actions';
import { koaMulter } from '@nocobase/utils';
import { BULK_SEND_MAX, ComposeMode, OutboxState } from '../../shared/mail-sending';
import { cleanContentType, cleanFilename } from '../compose/compose-input';
import type { ComposeService } from '../compose/compose-service';
import type { LinkService } from '../links/link-service';
import type { NewFile, OnStored, OutboxStore } from '../store/outbox-store';
import { UploadStorage } from '../compose/upload-storage';
import { MailError, MailErrorCode, invalidInput } from '../errors/mail-error';
import { parseId } from '../input/parse-id';
import { callerReader } from './mail-links';
import { actionValues } from './mail-errors';
import { contentDisposition, currentUserId } from './mail-messages';

export interface MailSendActionDeps {
  compose: ComposeService;
  /** Links a sent message to the record it was sent from (`values.record`). */
  links: Pick<LinkService, 'recordFor' | 'linkOutgoing'>;
  store: OutboxStore;
  /** The attachment limit, in MB: multipart uploads stop being read beyond it. */
  maxAttachmentMb(): Promise<number>;
  /** Where uploads are streamed to (the system's temp folder by default). */
  uploadDir?: string;
  /** Sends bulk messages in the background; told when new ones wait. */
  bulk: { kick(): void };
}

/** At most this many files in one request. */
const MAX_FILES = 50;
/** The text fields of a compose request: `values` (JSON with the HTML body) and a few spare. */
const MAX_FIELDS = 10;
const MAX_FIELD_BYTES = 5 * 1024 * 1024;

type UploadedPart = { fieldname: string; originalname: string; mimetype: string; path: string; size: number };

interface ComposeUpload {
  values: Record<string, unknown>;
  uploads: NewFile[];
}

function tooLarge(maxMb: number): MailError {
  return new MailError(
    MailErrorCode.INVALID_INPUT,
    `The attachments are larger than the attachment limit of ${maxMb} MB. Remove some, or share large files as links.`,
    { status: 413 },
  );
}

/**
 * Reads a multipart/form-data request as it streams in: the values as JSON in the `values` field, the files in
 * `files` (the browser's FormData). Files go to a temp folder, counted together against the attachment limit, so
 * a request over it is refused at that byte, before it is held anywhere; the fields are bounded in number and size.
 * A JSON request may carry base64 `values.attachments` instead (bounded by the server's body limit, 10 MB by default).
 */
async function withRequest<T>(
  ctx: Context,
  deps: MailSendActionDeps,
  fn: (request: ComposeUpload) => Promise<T>,
): Promise<T> {
  if (!ctx.is('multipart/form-data')) return fn({ values: actionValues(ctx), uploads: [] });
  const maxMb = await deps.maxAttachmentMb();
  const storage = new UploadStorage(maxMb * 1024 * 1024, deps.uploadDir);
  try {
    return await fn(await readMultipart(ctx, maxMb, storage));
  } finally {
    await storage.dispose();
  }
}

async function readMultipart(ctx: Context, maxMb: number, storage: UploadStorage): Promise<ComposeUpload> {
  const upload = koaMulter({
    storage,
    // Browsers send UTF-8 file names unencoded (HTML's form submission rules), not latin1.
    defParamCharset: 'utf8',
    limits: {
      fileSize: maxMb * 1024 * 1024,
      files: MAX_FILES,
      fields: MAX_FIELDS,
      fieldSize: MAX_FIELD_BYTES,
      parts: MAX_FILES + MAX_FIELDS,
    },
  } as never).any();
  try {
    await upload(ctx as never, async () => undefined);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'UPLOAD_TOO_LARGE' || code === 'LIMIT_FILE_SIZE') throw tooLarge(maxMb);
    if (code === 'LIMIT_FILE_COUNT') throw invalidInput(`At most ${MAX_FILES} files can be attached to one message.`);
    if (code === 'LIMIT_FIELD_COUNT' || code === 'LIMIT_PART_COUNT')
      throw invalidInput(`The upload has too many parts: send one "values" field and at most ${MAX_FILES} files.`);
    if (code === 'LIMIT_FIELD_VALUE')
      throw new MailError(
        MailErrorCode.INVALID_INPUT,
        `The message text is too long (at most ${MAX_FIELD_BYTES / 1024 / 1024} MB).`,
        { status: 413 },
      );
    throw invalidInput(
      'The upload could not be read. Send the message as multipart/form-data with a "values" field and "files".',
    );
  }
  const body = (ctx.request as { body?: Record<string, unknown> }).body ?? {};
  let values: Record<string, unknown> = {};
  if (typeof body.values === 'string' && body.values.trim()) {
    try {
      values = JSON.parse(body.values);
    } catch {
      throw invalidInput('The "values" field must be JSON.');
    }
    if (!values || typeof values !== 'object' || Array.isArray(values))
      throw invalidInput('The "values" field must be a JSON object.');
  }
  const files = ((ctx as unknown as { files?: UploadedPart[] }).files ?? []).filter(
    (f) => f.fieldname === 'files' || f.fieldname === 'files[]',
  );
  // Within the limit now: the files are read back for the outbox, which keeps them in the database.
  const uploads = await Promise.all(
    files.map(async (f) => ({
      filename: cleanFilename(f.originalname),
      contentType: cleanContentType(f.mimetype),
      content: await readFile(f.path),
    })),
  );
  return { values, uploads };
}

/**
 * `values.record` (`{ collection, recordKey }`): the record the message is sent from, read with the caller's
 * permissions before anything is stored (403 without view permission, 404 outside their scope or missing, 400 for
 * mail data or a malformed reference); the message is linked to it in the transaction that stores it.
 */
async function linkToRecord(
  ctx: Context,
  deps: MailSendActionDeps,
  values: Record<string, unknown>,
): Promise<OnStored | undefined> {
  const ref = values.record;
  if (ref === undefined || ref === null) return undefined;
  if (typeof ref !== 'object' || Array.isArray(ref))
    throw invalidInput('record must be { collection, recordKey }: the record the message is linked to.');
  const { collection, recordKey } = ref as { collection?: unknown; recordKey?: unknown };
  const record = await deps.links.recordFor({ collection, recordKey, reader: callerReader(ctx) });
  return (row, transaction) => deps.links.linkOutgoing(record, row, { transaction });
}

function params(ctx: Context): Record<string, unknown> {
  return { ...(ctx.action?.params ?? {}), ...actionValues(ctx) };
}

/** `mailMessages:send|saveDraft|prepare`, added to the reading side's `mailMessages` resource. */
export function mailSendActions(deps: MailSendActionDeps) {
  return {
    async send(ctx: Context, next: Next) {
      const userId = currentUserId(ctx);
      const view = await withRequest(ctx, deps, async (request) =>
        deps.compose.send(userId, request, await linkToRecord(ctx, deps, request.values)),
      );
      // 202: stored in the outbox but not delivered (the reason is in the body); 200: sent.
      ctx.status = view.state === OutboxState.sent ? 200 : 202;
      ctx.body = view;
      await next();
    },
    async saveDraft(ctx: Context, next: Next) {
      const userId = currentUserId(ctx);
      // A draft names its record too: the link is by Message-ID, which the draft keeps when it is sent later.
      ctx.body = await withRequest(ctx, deps, async (request) =>
        deps.compose.saveDraft(userId, request, await linkToRecord(ctx, deps, request.values)),
      );
      await next();
    },
    /**
     * `values: { accountId, items: [{ to, cc?, subject, html, record? }] }`: one new message per item, each linked
     * to its record. All are checked (records read with the caller's permissions) before any is stored; then they
     * wait in the outbox under one `batchId` and go out in the background at the mailbox's rate: 202 with the batch.
     */
    async sendBulk(ctx: Context, next: Next) {
      const userId = currentUserId(ctx);
      const values = actionValues(ctx);
      const items = values.items;
      if (!Array.isArray(items) || !items.length || items.length > BULK_SEND_MAX)
        throw invalidInput(`items must list 1 to ${BULK_SEND_MAX} messages, each { to, cc, subject, html, record }.`);
      const requests = [];
      for (const [i, item] of items.entries()) {
        if (!item || typeof item !== 'object' || Array.isArray(item))
          throw invalidInput(`Message ${i + 1} must be { to, cc, subject, html, record }.`);
        const { to, cc, subject, html, record } = item as Record<string, unknown>;
        // New messages only: no draft, reply or forward among them.
        const own = { accountId: values.accountId, mode: ComposeMode.new, to, cc, subject, html, record };
        requests.push({ request: { values: own, uploads: [] }, onStored: await linkToRecord(ctx, deps, own) });
      }
      const batchId = randomUUID();
      const queued = await deps.compose.queueBulk(userId, requests, batchId);
      deps.bulk.kick();
      ctx.status = 202;
      ctx.body = { batchId, items: queued };
      await next();
    },
    async prepare(ctx: Context, next: Next) {
      const p = params(ctx);
      ctx.body = await deps.compose.template(currentUserId(ctx), p.filterByTk ?? p.sourceMessageId, p.mode);
      await next();
    },
  };
}

const STATES = Object.values(OutboxState) as string[];

/** `mailOutbox:*`: the signed-in user's outgoing messages and drafts only. */
export function mailOutboxActions(deps: MailSendActionDeps) {
  return {
    async list(ctx: Context, next: Next) {
      const p = params(ctx);
      const rawStates = p.state ?? p.states;
      const states =
        rawStates === undefined
          ? []
          : (Array.isArray(rawStates) ? rawStates : String(rawStates).split(',')).map(String);
      const unknown = states.filter((s) => !STATES.includes(s));
      if (unknown.length) throw invalidInput(`state must be among: ${STATES.join(', ')}.`);
      // Whole numbers only: a fractional LIMIT/OFFSET is a database error, not a page.
      const page = Math.min(1_000_000, Math.max(1, Math.trunc(Number(p.page)) || 1));
      const pageSize = Math.min(200, Math.max(1, Math.trunc(Number(p.pageSize)) || 50));
      const accountId = p.accountId === undefined ? undefined : Number(p.accountId);
      const batchId = p.batchId === undefined || p.batchId === '' ? undefined : String(p.batchId).slice(0, 64);
      const { items, count } = await deps.store.list(
        currentUserId(ctx),
        { states, accountId: Number.isSafeInteger(accountId) ? accountId : undefined, batchId },
        page,
        pageSize,
      );
      ctx.body = { rows: items, count, page, pageSize, totalPage: Math.ceil(count / pageSize) };
      await next();
    },
    async get(ctx: Context, next: Next) {
      const row = await deps.store.forUser(
        currentUserId(ctx),
        parseId(params(ctx).filterByTk, 'message', 'filterByTk'),
      );
      ctx.body = await deps.store.view(row);
      await next();
    },
    async retry(ctx: Context, next: Next) {
      const view = await deps.compose.retry(currentUserId(ctx), params(ctx).filterByTk);
      ctx.status = view.state === OutboxState.sent ? 200 : 202;
      ctx.body = view;
      await next();
    },
    async update(ctx: Context, next: Next) {
      const userId = currentUserId(ctx);
      const id = params(ctx).filterByTk;
      ctx.body = await withRequest(ctx, deps, ({ values, uploads }) =>
        deps.compose.update(userId, id, values, uploads),
      );
      await next();
    },
    async destroy(ctx: Context, next: Next) {
      await deps.compose.remove(currentUserId(ctx), params(ctx).filterByTk);
      ctx.body = { ok: true };
      await next();
    },
    async attachment(ctx: Context, next: Next) {
      const p = params(ctx);
      const row = await deps.store.forUser(currentUserId(ctx), parseId(p.filterByTk, 'message', 'filterByTk'));
      const file = await deps.store.file(Number(row.get('id')), parseId(p.attachmentId, 'attachment', 'attachmentId'));
      if (!file) throw new MailError(MailErrorCode.NOT_FOUND, 'No such attachment in this message.');
      ctx.withoutDataWrapping = true;
      ctx.status = 200;
      ctx.set('Content-Type', file.contentType);
      ctx.set('Content-Disposition', contentDisposition('attachment', file.filename));
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
      ctx.body = file.content;
      await next();
    },
  };
}
