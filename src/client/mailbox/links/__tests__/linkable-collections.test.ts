import { canView, linkableCollections, plainTitle, type CollectionMeta, type RoleCheck } from '../linkable-collections';

const deals: CollectionMeta = {
  name: 'deals',
  title: 'Deals',
  origin: '@nocobase/plugin-data-source-main',
  titleField: 'title',
  filterTargetKey: 'id',
  fields: [
    { name: 'id', type: 'bigInt', primaryKey: true },
    { name: 'title', type: 'string' },
  ],
};
const member: RoleCheck = {
  strategy: { actions: ['view:own'] },
  resources: [],
  actions: {},
  actionAlias: { get: 'view', list: 'view' },
};

describe('canView', () => {
  it('lets root see everything', () => {
    expect(canView({ allowAll: true }, 'deals')).toBe(true);
  });

  it('follows the default strategy for a collection without its own settings, own records included', () => {
    expect(canView(member, 'deals')).toBe(true);
    expect(canView({ strategy: { actions: ['create'] } }, 'deals')).toBe(false);
    expect(canView({}, 'deals')).toBe(false);
  });

  it('follows only the collection’s own settings when it has them', () => {
    const own = { ...member, resources: ['deals'], actions: { 'deals:create': {} } };
    expect(canView(own, 'deals')).toBe(false);
    expect(canView({ ...own, actions: { 'deals:view': { fields: ['title'] } } }, 'deals')).toBe(true);
    expect(canView({ strategy: {}, resources: ['deals'], actions: { 'deals:view': {} } }, 'deals')).toBe(true);
  });
});

describe('linkableCollections', () => {
  it('offers business collections with their title field, sorted by title', () => {
    const accounts = { ...deals, name: 'accounts', title: '{{t("Accounts")}}' };
    expect(linkableCollections([deals, accounts], member)).toEqual([
      { name: 'accounts', title: 'Accounts', primaryKey: 'id', titleField: 'title', titleIsText: true },
      { name: 'deals', title: 'Deals', primaryKey: 'id', titleField: 'title', titleIsText: true },
    ]);
  });

  it('offers a collection made before NocoBase tagged them with an origin', () => {
    expect(linkableCollections([{ ...deals, origin: undefined }], member)).toHaveLength(1);
  });

  it('leaves out what a plugin defines (mail included), hidden ones and ones the role cannot view', () => {
    const metas = [
      { ...deals, name: 'users', origin: '@nocobase/plugin-users' },
      { ...deals, name: 'roles', origin: '@nocobase/plugin-acl' },
      { ...deals, name: 'secret', hidden: true },
      { ...deals, name: 'mailMessages', origin: '@mailbridge/plugin-email-manager' },
      { ...deals, name: 'closed' },
      deals,
    ];
    const check = { ...member, resources: ['closed'], actions: {} };
    const names = linkableCollections(metas, check).map((c) => c.name);
    expect(names).toEqual(['deals']);
  });

  it('shows and searches the key when there is no title field, or it names no field', () => {
    const plain = { ...deals, titleField: undefined };
    expect(linkableCollections([plain], member)[0]).toMatchObject({ titleField: 'id', titleIsText: false });
    const stale = { ...deals, titleField: 'gone' };
    expect(linkableCollections([stale], member)[0]).toMatchObject({ titleField: 'id', titleIsText: false });
  });

  it('leaves out a collection whose key has several fields', () => {
    expect(linkableCollections([{ ...deals, filterTargetKey: ['a', 'b'] }], member)).toEqual([]);
    expect(linkableCollections([{ ...deals, filterTargetKey: ['code'] }], member)[0].primaryKey).toBe('code');
  });

  it('finds the key among the fields when the collection does not name it', () => {
    const meta = { ...deals, filterTargetKey: undefined };
    expect(linkableCollections([meta], member)[0].primaryKey).toBe('id');
  });
});

describe('plainTitle', () => {
  it('reads a translatable title as its text, and a missing one as the name', () => {
    expect(plainTitle('{{t("Users")}}', 'users')).toBe('Users');
    expect(plainTitle('Deals', 'deals')).toBe('Deals');
    expect(plainTitle(undefined, 'deals')).toBe('deals');
  });
});
