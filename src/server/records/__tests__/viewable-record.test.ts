import type { Context } from '@nocobase/actions';
import type { MockServer } from '@nocobase/test';
import { mailErrors } from '../../actions/mail-errors';
import { fieldPathValues, readViewableRecord } from '../viewable-record';
import { createPluginApp } from '../../../../test/helpers/plugin-app';
import { createCustomer, defineCustomers, rootAgent, userWithRole } from '../../../../test/helpers/records-app';

jest.setTimeout(300_000);

/** A resource that answers a record and the values at field paths, as the record list reads them. */
function defineProbe(app: MockServer) {
  app.resourceManager.define({
    name: 'recordProbe',
    middlewares: [mailErrors('user')],
    actions: {
      read: async (ctx: Context, next: () => Promise<void>) => {
        const { collection, filterByTk, paths } = ctx.action.params as Record<string, unknown>;
        const viewable = await readViewableRecord(ctx, { collection: collection as string, key: filterByTk });
        const values: Record<string, string[]> = {};
        for (const path of (paths as string[] | undefined) ?? [])
          values[path] = await fieldPathValues(ctx, viewable, path);
        ctx.body = { ...viewable, values };
        await next();
      },
    },
  });
  app.acl.allow('recordProbe', 'read', 'loggedIn');
}

describe('reading a record with the caller’s NocoBase permissions', () => {
  let app: MockServer;
  let acme: number;
  let ownedByOwner: number;
  let owner: Awaited<ReturnType<typeof userWithRole>>;

  beforeAll(async () => {
    app = await createPluginApp();
    await defineCustomers(app);
    defineProbe(app);
    owner = await userWithRole(app, { resources: [{ name: 'customers', own: true }] });
    acme = await createCustomer(app, {
      name: 'Acme',
      email: 'Buyer@Acme.test',
      domain: 'acme.test',
      aliases: ['sales@acme.test', 'ops@acme.test'],
      contacts: ['ann@acme.test', 'bob@acme.test'],
    });
    ownedByOwner = await createCustomer(app, { name: 'Mine', email: 'me@mine.test', createdById: owner.userId });
  });

  afterAll(async () => {
    await app?.destroy();
  });

  const probe = (agent: MockServer['agent'] extends () => infer A ? A : never, params: Record<string, unknown>) =>
    (agent as ReturnType<MockServer['agent']>).resource('recordProbe').read(params);

  it('a member (view on everything) reads the record, its title, and values at plain, array and association paths', async () => {
    const member = await userWithRole(app, { strategy: ['view'] });
    const res = await probe(member.agent, {
      collection: 'customers',
      filterByTk: acme,
      paths: ['email', 'aliases', 'contacts.email', 'domain'],
    });
    expect(res.status).toBe(200);
    const body = res.body.data ?? res.body;
    expect(body).toMatchObject({ collection: 'customers', key: String(acme), titleField: 'name', title: 'Acme' });
    expect(body.values.email).toEqual(['Buyer@Acme.test']);
    expect(body.values.aliases).toEqual(['sales@acme.test', 'ops@acme.test']);
    expect([...body.values['contacts.email']].sort()).toEqual(['ann@acme.test', 'bob@acme.test']);
    expect(body.values.domain).toEqual(['acme.test']);
  });

  it('root reads any record', async () => {
    const root = await rootAgent(app);
    const res = await probe(root.agent, { collection: 'customers', filterByTk: acme, paths: ['contacts.email'] });
    expect(res.status).toBe(200);
    expect((res.body.data ?? res.body).values['contacts.email']).toHaveLength(2);
  });

  it('no view permission on the collection → 403 with a message', async () => {
    const none = await userWithRole(app, {});
    const res = await probe(none.agent, { collection: 'customers', filterByTk: acme });
    expect(res.status).toBe(403);
    expect(res.body.errors[0]).toMatchObject({ code: 'FORBIDDEN' });
    expect(res.body.errors[0].message).toMatch(/permission to view records of customers/);
  });

  it('a data scope of "own records": their own record is read, another one is a 404', async () => {
    expect((await probe(owner.agent, { collection: 'customers', filterByTk: ownedByOwner })).status).toBe(200);
    const other = await probe(owner.agent, { collection: 'customers', filterByTk: acme });
    expect(other.status).toBe(404);
    expect(other.body.errors[0].code).toBe('NOT_FOUND');
  });

  it('an association into a collection the role cannot view → 403', async () => {
    const res = await probe(owner.agent, {
      collection: 'customers',
      filterByTk: ownedByOwner,
      paths: ['contacts.email'],
    });
    expect(res.status).toBe(403);
    expect(res.body.errors[0].message).toMatch(/customerContacts/);
  });

  it('the related rows outside the target’s data scope are left out', async () => {
    const scoped = await userWithRole(app, {
      resources: [{ name: 'customers' }, { name: 'customerContacts', own: true }],
    });
    const mixed = await createCustomer(app, { name: 'Mixed', contacts: ['other@mixed.test'] });
    await app.db
      .getRepository('customerContacts')
      .create({ values: { email: 'theirs@mixed.test', customerId: mixed } });
    await app.db
      .getModel('customerContacts')
      .update({ createdById: scoped.userId }, { where: { email: 'theirs@mixed.test' }, hooks: false });
    const res = await probe(scoped.agent, { collection: 'customers', filterByTk: mixed, paths: ['contacts.email'] });
    expect(res.status).toBe(200);
    expect((res.body.data ?? res.body).values['contacts.email']).toEqual(['theirs@mixed.test']);
  });

  it('a field the role may not read → 403; the record leaves it out', async () => {
    const limited = await userWithRole(app, { resources: [{ name: 'customers', fields: ['name', 'email'] }] });
    const ok = await probe(limited.agent, { collection: 'customers', filterByTk: acme, paths: ['email'] });
    expect(ok.status).toBe(200);
    expect((ok.body.data ?? ok.body).record.secretNote).toBeUndefined();
    const denied = await probe(limited.agent, { collection: 'customers', filterByTk: acme, paths: ['domain'] });
    expect(denied.status).toBe(403);
  });

  it.each([
    [{ collection: 'nothingHere', filterByTk: 1 }, /no collection named nothingHere/],
    [{ collection: 'customers' }, /filterByTk/],
    [{ collection: 'customers', filterByTk: 1, paths: ['nope'] }, /no field named nope/],
    [{ collection: 'customers', filterByTk: 1, paths: ['contacts'] }, /names a relation/],
    [{ collection: 'customers', filterByTk: 1, paths: ['email.x'] }, /not a relation/],
  ])('bad input %j → 400 %s', async (params, message) => {
    const root = await rootAgent(app);
    const res = await probe(root.agent, {
      ...params,
      filterByTk: (params as { filterByTk?: number }).filterByTk && acme,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(message);
  });
});
