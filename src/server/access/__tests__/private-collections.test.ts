import { mockDatabase } from '@nocobase/database';
import { PrivateCollections } from '../private-collections';
import { privateRoutesGuard } from '../private-routes';

const ORIGIN = '@example/plugin';

function collections() {
  const db = mockDatabase();
  db.collection({
    name: 'users',
    fields: [
      { type: 'string', name: 'email' },
      { type: 'hasMany', name: 'boxes', target: 'boxes', foreignKey: 'userId' },
    ],
  });
  db.collection({ name: 'roles', fields: [{ type: 'belongsToMany', name: 'users', target: 'users' }] });
  db.collection({
    name: 'boxes',
    origin: ORIGIN,
    fields: [{ type: 'belongsTo', name: 'user', target: 'users', foreignKey: 'userId' }],
  } as never);
  db.collection({
    name: 'letters',
    origin: ORIGIN,
    fields: [{ type: 'belongsTo', name: 'box', target: 'boxes' }],
  } as never);
  return new PrivateCollections(db, ORIGIN);
}

describe('which collections and paths are private', () => {
  const private_ = collections();

  it('a collection is private by its origin, whatever its name', () => {
    expect(['boxes', 'letters'].map((n) => private_.has(n))).toEqual([true, true]);
    expect(['users', 'roles', 'nothing', undefined, 3].map((n) => private_.has(n))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('a dotted name is read as NocoBase reads it, and one whose first part is no collection is simply not private', () => {
    // NocoBase's own hasCollection('1.5') throws: a request naming such a collection was a 500.
    expect(['users.boxes', 'roles.users', '1.5', 'nothing.at.all', '.'].map((n) => private_.has(n))).toEqual([
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it.each([
    ['letters.box', true, 'private source'],
    ['boxes.user', true, 'private source, public target'],
    ['users.boxes', true, 'public source, private target'],
    ['users.letters', true, 'no such field, named after a private collection'],
    ['roles.users', false, 'nothing private'],
    ['users.nothing', false, 'no such field, not a private name'],
  ])('association %s → %s (%s)', (resource, expected) => {
    expect(private_.hasAssociation(resource)).toBe(expected);
  });

  it.each([
    ['users', 'boxes', true],
    ['users', 'boxes.user', true],
    ['roles', 'users.boxes', true],
    ['roles', 'users.email', false],
    ['users', 'email', false],
    ['users', 'nothing.boxes', false],
  ])('from %s, the path %s reaches private rows: %s', (collection, path, expected) => {
    expect(private_.pathReaches(collection, path)).toBe(expected);
  });

  it('finds a private collection named anywhere in a request, not a public one', () => {
    expect(private_.namedIn({ values: { collection: 'letters' } })).toBe('letters');
    expect(private_.namedIn({ values: { batch: [{ contextParams: { record: { collectionName: 'boxes' } } }] } })).toBe(
      'boxes',
    );
    expect(private_.namedIn({ values: { collection: 'users', dimensions: [{ field: ['letters'] }] } })).toBeUndefined();
    // The collection manager lists a private collection's fields by filtering on its name: metadata, not rows.
    expect(private_.namedIn({ filter: { collectionName: 'letters' } })).toBeUndefined();
  });
});

describe('the guard', () => {
  const generic = async () => undefined;
  const own = async () => undefined;
  const guard = privateRoutesGuard(collections());

  async function run(resourceName: string, handler: () => Promise<undefined>, params: Record<string, unknown> = {}) {
    let status = 0;
    let passed = false;
    const ctx = {
      action: { resourceName, params, getHandler: () => handler },
      resourcer: { getRegisteredHandlers: () => new Map<unknown, unknown>([['list', generic]]) },
      throw(code: number): never {
        status = code;
        throw new Error(String(code));
      },
    };
    await guard(ctx, async () => {
      passed = true;
    }).catch(() => undefined);
    return passed ? 'passed' : status;
  }

  it.each<[string, () => Promise<undefined>, Record<string, unknown>, number | 'passed']>([
    ['letters', own, {}, 'passed'],
    ['letters', generic, {}, 404],
    ['letters.box', own, {}, 404],
    ['users.boxes', generic, {}, 404],
    ['users', generic, {}, 'passed'],
    ['users', generic, { appends: ['boxes'] }, 403],
    ['users', generic, { fields: 'id,boxes.user' }, 403],
    ['users', generic, { filter: '{"$and":[{"boxes":{"id":{"$eq":1}}}]}' }, 403],
    ['users', generic, { filter: { email: { $eq: 'boxes' } } }, 'passed'],
    ['users', generic, { sort: ['-boxes.id'] }, 403],
    ['roles.users', generic, { appends: ['boxes'] }, 403],
    ['charts', own, { values: { collection: 'letters' } }, 403],
    ['charts', own, { values: { collection: 'users' } }, 'passed'],
  ])('%s with %p, %j → %s', async (resource, handler, params, expected) => {
    expect(await run(resource, handler, params)).toBe(expected);
  });
});
