import type { Context, Next } from '@nocobase/actions';
import { koaMulter } from '@nocobase/utils';
import { OutboxState } from '../../shared/mail-sending';
import { cleanContentType, cleanFilename } from '../compose/compose-input';
import type { ComposeService } from '../compose/compose-service';
import type { NewFile, OutboxStore } from '../compose/outbox-store';
import { MailError, MailErrorCode, invalidInput } from '../errors/mail-error';
import { actionValues } from './mail-errors';
import { contentDisposition, currentUserId } from './mail-messages';

export interface MailSendActionDeps {
  compose: ComposeService;
  store: OutboxStore;
  /** The attachment limit, in MB: multipart uploads stop being read beyond it. */
  maxAttachmentMb(): Promise<number>;
}

/** At most this many files in one request. */
const MAX_FILES = 50;

type MulterFile = { fieldname: string; originalname: string; mimetype: string; buffer: Buffer };

/**
 * The request's values and uploaded files. A multipart/form-data request carries the values as JSON in the
 * `values` field and the files in `files` (the browser's FormData); a JSON request may carry base64
 * `values.attachments` instead (bounded by the server's body limit, 10 MB by default).
 */
async function readRequest(ctx: Context, maxMb: number): Promise<{ values: Record<string, unknown>; uploads: NewFile[] }> {
  if (!ctx.is('multipart/form-data')) return { values: actionValues(ctx), uploads: [] };
  const upload = koaMulter({
    storage: koaMulter.memoryStorage(),
    // Browsers send UTF-8 file names unencoded (HTML's form submission rules), not latin1.
    defParamCharset: 'utf8',
    // One byte over the whole limit is enough to know a single file is too big.
    limits: { fileSize: maxMb * 1024 * 1024 + 1, files: MAX_FILES, fieldSize: 20 * 1024 * 1024 },
  } as never).any();
  try {
    await upload(ctx as never, async () => undefined);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'LIMIT_FILE_SIZE') {
      throw new MailError(MailErrorCode.INVALID_INPUT, `A file is larger than the attachment limit of ${maxMb} MB. Remove it, or share it as a link.`, { status: 413 });
    }
    if (code === 'LIMIT_FILE_COUNT') throw invalidInput(`At most ${MAX_FILES} files can be attached to one message.`);
    throw invalidInput('The upload could not be read. Send the message as multipart/form-data with a "values" field and "files".');
  }
  const body = (ctx.request as { body?: Record<string, unknown> }).body ?? {};
  let values: Record<string, unknown> = {};
  if (typeof body.values === 'string' && body.values.trim()) {
    try {
      values = JSON.parse(body.values);
    } catch {
      throw invalidInput('The "values" field must be JSON.');
    }
    if (!values || typeof values !== 'object' || Array.isArray(values)) throw invalidInput('The "values" field must be a JSON object.');
  }
  const files = ((ctx as unknown as { files?: MulterFile[] }).files ?? []).filter((f) => f.fieldname === 'files' || f.fieldname === 'files[]');
  const uploads = files.map((f) => ({ filename: cleanFilename(f.originalname), contentType: cleanContentType(f.mimetype), content: f.buffer }));
  return { values, uploads };
}

function params(ctx: Context): Record<string, unknown> {
  return { ...(ctx.action?.params ?? {}), ...actionValues(ctx) };
}

/** `mailMessages:send|saveDraft|prepare`, added to the reading side's `mailMessages` resource. */
export function mailSendActions(deps: MailSendActionDeps) {
  return {
    async send(ctx: Context, next: Next) {
      const userId = currentUserId(ctx);
      const view = await deps.compose.send(userId, await readRequest(ctx, await deps.maxAttachmentMb()));
      // 202: stored in the outbox but not delivered (the reason is in the body); 200: sent.
      ctx.status = view.state === OutboxState.sent ? 200 : 202;
      ctx.body = view;
      await next();
    },
    async saveDraft(ctx: Context, next: Next) {
      const userId = currentUserId(ctx);
      ctx.body = await deps.compose.saveDraft(userId, await readRequest(ctx, await deps.maxAttachmentMb()));
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
      const states = rawStates === undefined ? [] : (Array.isArray(rawStates) ? rawStates : String(rawStates).split(',')).map(String);
      const unknown = states.filter((s) => !STATES.includes(s));
      if (unknown.length) throw invalidInput(`state must be among: ${STATES.join(', ')}.`);
      // Whole numbers only: a fractional LIMIT/OFFSET is a database error, not a page.
      const page = Math.min(1_000_000, Math.max(1, Math.trunc(Number(p.page)) || 1));
      const pageSize = Math.min(200, Math.max(1, Math.trunc(Number(p.pageSize)) || 50));
      const accountId = p.accountId === undefined ? undefined : Number(p.accountId);
      const { items, count } = await deps.store.list(currentUserId(ctx), { states, accountId: Number.isSafeInteger(accountId) ? accountId : undefined }, page, pageSize);
      ctx.body = { rows: items, count, page, pageSize, totalPage: Math.ceil(count / pageSize) };
      await next();
    },
    async get(ctx: Context, next: Next) {
      const row = await deps.store.forUser(currentUserId(ctx), idOf(params(ctx).filterByTk));
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
      const { values, uploads } = await readRequest(ctx, await deps.maxAttachmentMb());
      ctx.body = await deps.compose.update(userId, id, values, uploads);
      await next();
    },
    async destroy(ctx: Context, next: Next) {
      await deps.compose.remove(currentUserId(ctx), params(ctx).filterByTk);
      ctx.body = { ok: true };
      await next();
    },
    async attachment(ctx: Context, next: Next) {
      const p = params(ctx);
      const row = await deps.store.forUser(currentUserId(ctx), idOf(p.filterByTk));
      const file = await deps.store.file(Number(row.get('id')), idOf(p.attachmentId));
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

function idOf(raw: unknown): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,15}$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new MailError(MailErrorCode.NOT_FOUND, 'No such message in your outbox or drafts.');
  return n;
}
