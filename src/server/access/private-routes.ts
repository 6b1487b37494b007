import type { PrivateCollections } from './private-collections';

const NOT_FOUND = 'Not found. Mail is read through the mailbox only.';
const FORBIDDEN = 'Mail data is only available to its owner, through the mailbox; it cannot be queried here.';

/** The parts of NocoBase's resourcer context the guard reads, once the request was resolved to an action. */
interface GuardContext {
  action?: { resourceName: string; params?: Record<string, unknown>; getHandler(): unknown };
  resourcer?: { getRegisteredHandlers(): Map<unknown, unknown> };
  throw(status: number, message: string): never;
}

/** `appends` / `fields` / `except` as NocoBase accepts them: an array, or one comma-separated string. */
function paths(value: unknown): string[] {
  if (typeof value === 'string') return value.split(',');
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Field paths a filter reads (`{ "mailboxes.address": … }`, `{ mailboxes: { address: … } }`, under `$and`/`$or`). */
function filterPaths(filter: unknown, prefix = '', depth = 0): string[] {
  if (!filter || typeof filter !== 'object' || depth > 8) return [];
  return Object.entries(filter).flatMap(([key, value]) => {
    const path = key.startsWith('$') || /^\d+$/.test(key) ? prefix : prefix ? `${prefix}.${key}` : key;
    return [...(path && path !== prefix ? [path] : []), ...filterPaths(value, path, depth + 1)];
  });
}

/** Every association path a request reads from its collection: appended, selected, filtered or sorted by. */
function readPaths(params: Record<string, unknown>): string[] {
  let filter = params.filter;
  if (typeof filter === 'string') {
    try {
      filter = JSON.parse(filter);
    } catch {
      filter = undefined;
    }
  }
  const sort = paths(params.sort).map((p) => p.replace(/^-/, ''));
  return [...[params.appends, params.fields, params.except].flatMap(paths), ...sort, ...filterPaths(filter)];
}

/**
 * A resourcer middleware: it runs before ACL for every action of the main data source, whoever asks (root skips ACL
 * altogether), including actions other plugins register later. On the plugin's data only its own owner-scoped
 * handlers answer:
 * - no association route that touches a plugin collection, in either direction (`mailFolders/1/account`,
 *   `users/1/<a field aimed at mailAccounts>`), whatever the action: 404;
 * - no generic handler (NocoBase's list/get/update…, export, anything registered for every collection) on a plugin
 *   collection: 404;
 * - no other action whose parameters name a plugin collection to read (charts, flow variables, blocks), or reach
 *   one through an association someone declared (appends, fields, filter, sort of `users:list`…): 403.
 */
export function privateRoutesGuard(collections: PrivateCollections) {
  return async function guardPrivateRoutes(ctx: GuardContext, next: () => Promise<unknown>) {
    if (!ctx.action) return next();
    const { resourceName, params = {} } = ctx.action;
    if (resourceName.includes('.') && collections.hasAssociation(resourceName)) ctx.throw(404, NOT_FOUND);
    if (collections.has(resourceName)) {
      const generic = new Set(ctx.resourcer?.getRegisteredHandlers().values());
      if (generic.has(ctx.action.getHandler())) ctx.throw(404, NOT_FOUND);
      return next();
    }
    const source = collections.collectionOf(resourceName);
    if (collections.namedIn(params) || (source && readPaths(params).some((p) => collections.pathReaches(source, p))))
      ctx.throw(403, FORBIDDEN);
    await next();
  };
}
