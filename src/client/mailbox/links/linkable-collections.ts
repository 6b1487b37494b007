/**
 * Which of the app's collections a user may link mail to, from what NocoBase's client already reads:
 * `collections:listMeta` (the main data source's collections as the collection manager knows them) and
 * `roles:check` (the signed-in user's merged role). Pure: no requests here.
 */

/** The part of a `collections:listMeta` entry used here. */
export interface CollectionMeta {
  name: string;
  title?: string;
  /** The plugin that defined the collection (see `isBusinessCollection`). */
  origin?: string;
  hidden?: boolean;
  titleField?: string;
  filterTargetKey?: string | string[];
  fields?: Array<{ name: string; type?: string; primaryKey?: boolean }>;
}

/** The part of `roles:check` used here (see @nocobase/acl `mergeRole`). */
export interface RoleCheck {
  allowAll?: boolean;
  /** The role's default permissions for every collection without its own settings: `view`, `view:own`… */
  strategy?: { actions?: string[] };
  /** Collections with their own settings; for them only `actions` counts. */
  resources?: string[] | null;
  /** `<collection>:<action>` → that action's params, for the collections in `resources`. */
  actions?: Record<string, unknown> | null;
  /** `list`, `get` → `view`. */
  actionAlias?: Record<string, string>;
}

/** A collection offered in "Link to record…". */
export interface LinkableCollection {
  name: string;
  title: string;
  primaryKey: string;
  /** The field shown for a record and searched; the primary key when the collection has no title field. */
  titleField: string;
  /** The title field holds text, so a search matches part of it; otherwise a search must equal it. */
  titleIsText: boolean;
}

const TEXT_TYPES = new Set(['string', 'text', 'uid', 'uuid', 'nanoid', 'email', 'phone', 'url']);

/** A title NocoBase stores as translatable, `{{t(…)}}` around the text, reads as that text. */
export function plainTitle(title: string | undefined, fallback: string): string {
  if (!title) return fallback;
  const m = /^\{\{\s*t\(\s*["'](.*?)["']/.exec(title);
  return m ? m[1] : title;
}

/** Whether the role may view records of the collection, as NocoBase's own client decides it (`parseAction`). */
export function canView(check: RoleCheck, collection: string): boolean {
  if (check.allowAll) return true;
  const viewAction = check.actionAlias?.get ?? 'view';
  if (check.resources?.includes(collection)) return !!check.actions?.[`${collection}:${viewAction}`];
  // `view:own` is still a view: the server then keeps the user to their own records.
  return !!check.strategy?.actions?.some((a) => a.split(':')[0] === viewAction);
}

/** The origin NocoBase gives collections made in its collection manager (Data sources → Main). */
const ADMIN_MADE_ORIGIN = '@nocobase/plugin-data-source-main';

function isBusinessCollection(meta: CollectionMeta): boolean {
  return !meta.hidden && (!meta.origin || meta.origin === ADMIN_MADE_ORIGIN);
}

function primaryKeyOf(meta: CollectionMeta): string | undefined {
  const key = meta.filterTargetKey;
  if (typeof key === 'string' && key) return key;
  // A composite key cannot be a link's record key, which is one value.
  if (Array.isArray(key)) return key.length === 1 ? key[0] : undefined;
  return meta.fields?.find((f) => f.primaryKey)?.name;
}

/**
 * The collections offered, by title: business collections with a single-field key that the role may view. A
 * collection is the business's when an admin made it (NocoBase tags those with the main data source plugin as their
 * `origin`, older ones with none); every other origin is a plugin's code: this plugin's mail, never a record to link
 * to (the server refuses it too), and the system's own (users, roles).
 */
export function linkableCollections(metas: CollectionMeta[], check: RoleCheck): LinkableCollection[] {
  const out: LinkableCollection[] = [];
  for (const meta of metas) {
    if (!isBusinessCollection(meta) || !canView(check, meta.name)) continue;
    const primaryKey = primaryKeyOf(meta);
    if (!primaryKey) continue;
    const titleMeta = meta.titleField ? meta.fields?.find((f) => f.name === meta.titleField) : undefined;
    const titleField = titleMeta ? titleMeta.name : primaryKey;
    const fieldType = (titleMeta ?? meta.fields?.find((f) => f.name === primaryKey))?.type ?? '';
    out.push({
      name: meta.name,
      title: plainTitle(meta.title, meta.name),
      primaryKey,
      titleField,
      titleIsText: TEXT_TYPES.has(fieldType),
    });
  }
  return out.sort((a, b) => a.title.localeCompare(b.title));
}
