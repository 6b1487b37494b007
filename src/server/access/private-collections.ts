import type Database from '@nocobase/database';
import type { Collection } from '@nocobase/database';

interface AssociationOptions {
  target?: string;
  through?: string;
}

/**
 * The plugin's collections. NocoBase tags every collection it imports from a plugin's `collections/` folder with
 * that plugin's package name (`origin`), so a collection added there is private without being listed anywhere.
 */
export class PrivateCollections {
  constructor(
    private readonly db: Database,
    private readonly origin: string,
  ) {}

  has(name: unknown): boolean {
    return this.collectionNamed(name)?.options.origin === this.origin;
  }

  /**
   * The collection a name gives, as NocoBase reads it (`source.field` is that association's target), or undefined.
   * NocoBase's own getCollection/hasCollection throw on a dotted name whose first part is no collection (`1.5`).
   */
  private collectionNamed(name: unknown): Collection | undefined {
    if (typeof name !== 'string' || !name) return undefined;
    if (!this.db.collections.has(name.split('.')[0])) return undefined;
    return this.db.getCollection(name) ?? undefined;
  }

  /**
   * Whether an association resource (`source.field`, as NocoBase names `source/1/field` routes) touches the
   * plugin's rows: its source is private, its target or through table is, or there is no such field and its name
   * is a private collection's (NocoBase answers 500 there, which is no answer either).
   */
  hasAssociation(resourceName: string): boolean {
    const [source, field] = resourceName.split('.');
    if (this.has(source)) return true;
    const options = this.associationOptions(source, field);
    if (!options) return this.has(field);
    return this.has(options.target) || this.has(options.through);
  }

  /**
   * Whether an `appends`/`fields` path read from `collection` (`mailboxes.folder`) passes through a plugin collection:
   * an association someone declared towards one would otherwise carry its rows out with a user or any other record.
   */
  pathReaches(collection: string, path: string): boolean {
    let current = collection;
    for (const segment of path.split('.')) {
      const options = this.associationOptions(current, segment);
      if (!options?.target) return false;
      if (this.has(options.target) || this.has(options.through)) return true;
      current = options.target;
    }
    return false;
  }

  /** The collection a resource reads: itself, or an association's target. */
  collectionOf(resourceName: string): string | undefined {
    const [source, field] = resourceName.split('.');
    return field === undefined ? source : this.associationOptions(source, field)?.target;
  }

  private associationOptions(collection: string, field: string): AssociationOptions | undefined {
    return this.collectionNamed(collection)?.getField(field)?.options as AssociationOptions | undefined;
  }

  /**
   * The first private collection a request's parameters name as the collection to read (`collection` /
   * `collectionName`, at any depth): charts' `queryData`, flow-engine's record variables and blocks all name theirs so.
   * Filters are left out: there `collectionName` selects metadata rows (`fields:list` of a collection), not data.
   */
  namedIn(params: unknown, depth = 0): string | undefined {
    if (!params || typeof params !== 'object' || depth > 8) return undefined;
    for (const [key, value] of Object.entries(params)) {
      if (key === 'filter') continue;
      if ((key === 'collection' || key === 'collectionName') && this.has(value)) return value as string;
      const nested = this.namedIn(value, depth + 1);
      if (nested) return nested;
    }
    return undefined;
  }
}
