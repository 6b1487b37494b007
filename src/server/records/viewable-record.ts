import type { Context } from '@nocobase/actions';
import type { Collection, Filter, Repository } from '@nocobase/database';
import { invalidInput, MailError, MailErrorCode } from '../errors/mail-error';
import { collectionNamed, keyFitsField, recordKeyFrom } from '../input/parse-record-ref';

type Row = { get(key: string): unknown; toJSON(): Record<string, unknown> };

/** What the caller's role lets them read of one collection: NocoBase's `view` params, templates resolved. */
interface ViewPermission {
  /** The data scope (e.g. `{ createdById: 1 }`), or none for every row. */
  filter?: Record<string, unknown>;
  /** The fields (and associations) the role may read, or none for all of them. */
  selectable?: string[];
}

/** A record of the main data source that the caller may view, as their NocoBase role lets them see it. */
export interface ViewableRecord {
  collection: string;
  /** The record key, as a string (what `filterByTk` named). */
  key: string;
  record: Record<string, unknown>;
  titleField: string;
  title: string;
}

export interface RecordRef {
  collection: string;
  /** `filterByTk`: the record's key. */
  key: unknown;
}

function forbidden(message: string): MailError {
  return new MailError(MailErrorCode.FORBIDDEN, message);
}

function recordNotFound(collection: string): MailError {
  return new MailError(MailErrorCode.NOT_FOUND, `No such record in ${collection} among those you can view.`);
}

/**
 * The caller's `view` permission on a collection, as NocoBase's ACL resolves it for a `get` of that collection:
 * roles merged, root unrestricted, `{{ctx.state.currentUser.id}}`-style data scopes filled in. No permission → 403.
 */
async function viewPermission(ctx: Context, collection: string): Promise<ViewPermission> {
  const acl = ctx.app.acl;
  try {
    const resolved = await acl.resolveActionParams(ctx, { resourceName: collection, actionName: 'view', params: {} });
    // The role's own params (templates filled in), not those merged into an empty request: that merge drops appends.
    const params = (resolved.parsedParams ?? {}) as {
      filter?: Record<string, unknown>;
      fields?: string[];
      appends?: string[];
    };
    const restricted = params.fields !== undefined || params.appends !== undefined;
    return {
      filter: params.filter && Object.keys(params.filter).length ? params.filter : undefined,
      selectable: restricted ? [...(params.fields ?? []), ...(params.appends ?? [])] : undefined,
    };
  } catch (err) {
    // NocoBase's own "no permission" error; its class is not exported by a package this plugin depends on.
    if ((err as Error)?.constructor?.name === 'NoPermissionError')
      throw forbidden(`You do not have permission to view records of ${collection}.`);
    throw err;
  }
}

function primaryKeyOf(collection: Collection): string {
  return collection.model.primaryKeyAttribute;
}

function filterKeyOf(collection: Collection): string {
  const key = collection.filterTargetKey;
  return Array.isArray(key) ? primaryKeyOf(collection) : key || primaryKeyOf(collection);
}

function withScope(scope: Record<string, unknown> | undefined, filter: Record<string, unknown>): Filter {
  return (scope ? { $and: [scope, filter] } : filter) as Filter;
}

/**
 * Reads one record with the caller's NocoBase permissions: no `view` permission on the collection → 403 (FORBIDDEN),
 * a record that does not exist or lies outside the role's data scope → 404, an unknown collection → 400. Only the
 * fields the role may read are returned.
 */
export async function readViewableRecord(ctx: Context, ref: RecordRef): Promise<ViewableRecord> {
  const collection = collectionNamed(ctx.db, ref.collection);
  const key = recordKeyFrom(ref.key, 'filterByTk');
  const permission = await viewPermission(ctx, collection.name);
  const keyField = filterKeyOf(collection);
  if (!keyFitsField(collection, keyField, key)) throw recordNotFound(collection.name);
  const repository = ctx.db.getRepository(collection.name) as Repository;
  const found = (await repository.findOne({
    filter: withScope(permission.filter, { [keyField]: key }),
  })) as Row | null;
  if (!found) throw recordNotFound(collection.name);
  const all = found.toJSON();
  const record = permission.selectable
    ? Object.fromEntries(
        Object.entries(all).filter(([name]) => name === keyField || permission.selectable!.includes(name)),
      )
    : all;
  const titleField = collection.titleField || keyField;
  const title = record[titleField];
  return {
    collection: collection.name,
    key: String(found.get(keyField)),
    record,
    titleField,
    title: title === undefined || title === null ? String(found.get(keyField)) : String(title),
  };
}

/** Text values of a field value: a string, or the strings of an array (an array or multiple-select field). */
function textsOf(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => textsOf(v));
  return [];
}

function assertSelectable(permission: ViewPermission, collection: string, field: string): void {
  if (permission.selectable && !permission.selectable.includes(field))
    throw forbidden(`You do not have permission to view the field ${field} of ${collection}.`);
}

interface PathStep {
  collection: Collection;
  field: string;
  /** The next collection, for an association. */
  target?: Collection;
}

/** The collections and fields a path goes through; an unknown field or a misplaced association is a 400. */
function stepsOf(ctx: Context, from: string, path: unknown): PathStep[] {
  if (typeof path !== 'string' || !path.trim()) throw invalidInput('A field path must be a field name such as email.');
  const segments = path.split('.');
  const steps: PathStep[] = [];
  let collection = collectionNamed(ctx.db, from);
  segments.forEach((name, i) => {
    const field = collection.getField(name);
    if (!field) throw invalidInput(`${collection.name} has no field named ${name} (in ${path}).`);
    const target = field.options.target as string | undefined;
    const last = i === segments.length - 1;
    if (last && target) throw invalidInput(`${path} names a relation: add the field to read, e.g. ${path}.email.`);
    if (!last && !target) throw invalidInput(`${collection.name}.${name} is not a relation, so ${path} leads nowhere.`);
    const step: PathStep = { collection, field: name, target: target ? collectionNamed(ctx.db, target) : undefined };
    steps.push(step);
    if (step.target) collection = step.target;
  });
  return steps;
}

/**
 * The text values at a field path of a viewable record: `email` (a string field), `emails` (an array field), or
 * `contacts.email` through one or more associations. Each association is followed as NocoBase's own query
 * permission does (`isAllowedFieldPath` in plugin-acl): the caller needs `view` on every collection on the way
 * (403 otherwise) and may only pass fields their role can read; of the related rows they see only those in that
 * collection's data scope. An unknown field, or an association where a plain field was expected (or the reverse),
 * is a 400.
 */
export async function fieldPathValues(ctx: Context, viewable: ViewableRecord, path: unknown): Promise<string[]> {
  const steps = stepsOf(ctx, viewable.collection, path);
  const permissions: ViewPermission[] = [];
  for (const step of steps) {
    const permission = await viewPermission(ctx, step.collection.name);
    assertSelectable(permission, step.collection.name, step.field);
    permissions.push(permission);
  }
  if (steps.length === 1) return textsOf(viewable.record[steps[0].field]);

  let keys: unknown[] = [viewable.key];
  for (const [i, step] of steps.entries()) {
    if (!keys.length) return [];
    const { collection, field, target } = step;
    const rows = (await ctx.db.getRepository(collection.name).find({
      filter: withScope(permissions[i].filter, { [filterKeyOf(collection)]: { $in: keys } }),
      ...(target ? { appends: [field] } : { fields: [filterKeyOf(collection), field] }),
    })) as Row[];
    if (!target) return rows.flatMap((r) => textsOf(r.get(field)));
    const targetKey = filterKeyOf(target);
    keys = [
      ...new Set(
        rows.flatMap((r) => {
          const value = r.get(field) as Row | Row[] | null;
          return (Array.isArray(value) ? value : value ? [value] : []).map((t) => t.get(targetKey));
        }),
      ),
    ];
  }
  return [];
}
