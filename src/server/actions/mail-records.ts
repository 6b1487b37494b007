import type { Context, Next } from '@nocobase/actions';
import {
  RECORD_MAIL_MAX_FIELDS,
  RECORD_MAIL_MAX_VALUES,
  RECORD_MAIL_PAGE_SIZE_DEFAULT,
  RECORD_MAIL_PAGE_SIZE_MAX,
} from '../../shared/mail-records';
import { invalidInput } from '../errors/mail-error';
import { bool, dateRange, direction, int, text } from '../input/parse-params';
import type { LinkedKeysOf } from '../records/linked-keys';
import { normalizeAddress, normalizeDomain } from '../records/normalize-address';
import type { MailboxScopeOf } from '../records/own-mailbox-scope';
import { RecordMailQuery, RecordMailRequest, RecordMailWay } from '../records/record-mail-query';
import type { MailboxScope } from '../sharing/mailbox-scope';
import { currentRoles } from '../sharing/viewer-grants';
import { parseId } from '../input/parse-id';
import { actionValues } from './mail-errors';
import { fieldPathValues, readViewableRecord, ViewableRecord } from '../records/viewable-record';

export interface MailRecordsDeps {
  query: RecordMailQuery;
  /** The mailboxes the viewer may see records' mail in, and at which level. */
  scopeOf: MailboxScopeOf;
  linkedKeysOf: LinkedKeysOf;
  /** Whether a collection is one of the plugin's own (never a business record). */
  isPrivate(collection: string): boolean;
  /** Whether a field path from a collection passes through one of the plugin's collections. */
  pathReachesPrivate(collection: string, path: string): boolean;
  /** The rows a scope may show (sharing/: private folders and messages of colleagues left out); none: all. */
  visibleRows?(scope: MailboxScope[]): Promise<object>;
}

function fieldList(raw: unknown, name: string): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
  if (!list || list.some((v) => typeof v !== 'string'))
    throw invalidInput(`${name} must be a list of field names such as email or contacts.email.`);
  if (list.length > RECORD_MAIL_MAX_FIELDS)
    throw invalidInput(`${name} can name at most ${RECORD_MAIL_MAX_FIELDS} fields.`);
  return [...new Set((list as string[]).map((v) => v.trim()).filter(Boolean))];
}

function only(raw: unknown): RecordMailWay | undefined {
  if (raw === undefined || raw === null || raw === '' || raw === 'both') return undefined;
  if (raw === 'matched' || raw === 'linked') return raw;
  throw invalidInput('only must be matched, linked or both.');
}

/** The own mailboxes' domains, for `excludeOwnDomain`. */
function ownDomains(addresses: string[]): Set<string> {
  return new Set(addresses.map((a) => normalizeAddress(a)?.domain).filter((d): d is string => !!d));
}

async function valuesAt(ctx: Context, deps: MailRecordsDeps, record: ViewableRecord, paths: string[]) {
  const values: string[] = [];
  for (const path of paths) {
    if (deps.pathReachesPrivate(record.collection, path))
      throw invalidInput(`${path} is not a field of ${record.collection}.`);
    values.push(...(await fieldPathValues(ctx, record, path)));
  }
  return values;
}

/** The record, its addresses and domains, and the viewer's scope: what list, get and attachment all start from. */
async function recordRequest(
  ctx: Context,
  deps: MailRecordsDeps,
  paging: { page: number; pageSize: number },
): Promise<RecordMailRequest> {
  const params = (ctx.action.params ?? {}) as Record<string, unknown>;
  const userId = Number(ctx.state.currentUser?.id);
  const collection = params.collection;
  if (typeof collection === 'string' && deps.isPrivate(collection))
    throw invalidInput(`There is no collection named ${collection}.`);
  const addressFields = fieldList(params.addressFields, 'addressFields');
  const domainFields = fieldList(params.domainFields, 'domainFields');
  const filters = {
    direction: direction(params.direction),
    only: only(params.only),
    hasAttachments: bool(params.hasAttachments, 'hasAttachments'),
    ...dateRange(params.dateFrom, params.dateTo),
    search: text(params.search, 'search', 200),
  };
  const excludeOwnDomain = bool(params.excludeOwnDomain, 'excludeOwnDomain') ?? false;

  const record = await readViewableRecord(ctx, { collection: collection as string, key: params.filterByTk });
  const addresses = [
    ...new Set(
      (await valuesAt(ctx, deps, record, addressFields))
        .map((v) => normalizeAddress(v)?.address)
        .filter((a): a is string => !!a),
    ),
  ];
  let domains = [
    ...new Set(
      (await valuesAt(ctx, deps, record, domainFields))
        .map((v) => normalizeDomain(v.replace(/^.*@/, '')))
        .filter(Boolean),
    ),
  ];
  const scope = await deps.scopeOf(userId, currentRoles(ctx));
  if (excludeOwnDomain) {
    const own = ownDomains(await deps.query.ownAddresses(scope.filter((s) => s.own).map((s) => s.accountId)));
    domains = domains.filter((d) => !own.has(d));
  }
  if (addresses.length + domains.length > RECORD_MAIL_MAX_VALUES)
    throw invalidInput(
      `The record holds more than ${RECORD_MAIL_MAX_VALUES} addresses and domains; name fewer fields.`,
    );

  return {
    scope,
    addresses,
    domains,
    linked: await deps.linkedKeysOf(record.collection, record.key),
    visible: deps.visibleRows ? await deps.visibleRows(scope) : undefined,
    ...filters,
    ...paging,
  };
}

/**
 * `mailRecords:list`: the mail of one business record. The addresses and domains come only from the record, read
 * with the caller's NocoBase permissions (403 without `view`, 404 outside their data scope); the request names the
 * fields that hold them, never the values.
 */
export function mailRecordsActions(deps: MailRecordsDeps) {
  return {
    async list(ctx: Context, next: Next) {
      const params = (ctx.action.params ?? {}) as Record<string, unknown>;
      const page = int(params.page, 'page', 1, 10_000, 1);
      const pageSize = int(params.pageSize, 'pageSize', 1, RECORD_MAIL_PAGE_SIZE_MAX, RECORD_MAIL_PAGE_SIZE_DEFAULT);
      ctx.body = await deps.query.list(await recordRequest(ctx, deps, { page, pageSize }));
      await next();
    },
  };
}

/** The record's list narrowed to one message row: what `mailRecords:get` and `:attachment` may show, if anything. */
export async function recordMessageRequest(ctx: Context, deps: MailRecordsDeps): Promise<RecordMailRequest> {
  const params = { ...(ctx.action.params ?? {}), ...actionValues(ctx) } as Record<string, unknown>;
  const onlyRowId = parseId(params.messageId, 'message', 'messageId');
  return { ...(await recordRequest(ctx, deps, { page: 1, pageSize: 1 })), onlyRowId };
}
