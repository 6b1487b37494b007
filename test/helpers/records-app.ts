/**
 * Business records for the "mail on records" tests: a `customers` collection (email, domain, an array of aliases,
 * created-by for an "own records" data scope) with `contacts` (each with an email), and roles that can or cannot
 * view them, granted the way NocoBase's role settings store them.
 */
import { randomBytes } from 'node:crypto';
import type { MockServer } from '@nocobase/test';

/** Collections made in the UI are "strategy resources": a role's default permissions (e.g. view all) cover them. */
const AS_UI_COLLECTION = { createdBy: true, asStrategyResource: true };

export async function defineCustomers(app: MockServer): Promise<void> {
  app.db.collection({
    name: 'customers',
    ...AS_UI_COLLECTION,
    titleField: 'name',
    fields: [
      { name: 'name', type: 'string' },
      { name: 'email', type: 'string' },
      { name: 'domain', type: 'string' },
      { name: 'aliases', type: 'json' },
      { name: 'secretNote', type: 'string' },
      { name: 'contacts', type: 'hasMany', target: 'customerContacts', foreignKey: 'customerId' },
    ],
  } as never);
  app.db.collection({
    name: 'customerContacts',
    ...AS_UI_COLLECTION,
    fields: [
      { name: 'email', type: 'string' },
      { name: 'customer', type: 'belongsTo', target: 'customers', foreignKey: 'customerId' },
    ],
  } as never);
  await app.db.sync();
}

export interface CustomerValues {
  name: string;
  email?: string;
  domain?: string;
  aliases?: string[];
  contacts?: string[];
  createdById?: number;
}

export async function createCustomer(app: MockServer, values: CustomerValues): Promise<number> {
  const customer = await app.db.getRepository('customers').create({
    values: {
      name: values.name,
      email: values.email,
      domain: values.domain,
      aliases: values.aliases,
      createdById: values.createdById,
      contacts: (values.contacts ?? []).map((email) => ({ email, createdById: values.createdById })),
    },
  });
  const id = Number(customer.get('id'));
  // createdById is the signed-in creator's; set it as if that user had created the record.
  if (values.createdById)
    await app.db.getModel('customers').update({ createdById: values.createdById }, { where: { id }, hooks: false });
  return id;
}

/** The role settings page lists every field of a collection by default; an empty list grants none. */
function allFields(app: MockServer, collection: string): string[] {
  return [...app.db.getCollection(collection).fields.keys()];
}

export interface RoleGrant {
  /** The role's default strategy (e.g. `['view']`): [] grants nothing beyond `resources`. */
  strategy?: string[];
  /** Per-collection `view` permissions; `own` limits them to the records the user created. */
  resources?: Array<{ name: string; own?: boolean; fields?: string[] }>;
}

/** Creates a role as the role settings page would, and a user in it with an agent signed in as that role. */
export async function userWithRole(app: MockServer, grant: RoleGrant) {
  const name = `r${randomBytes(4).toString('hex')}`;
  const resources = [];
  for (const r of grant.resources ?? []) {
    // NocoBase's built-in "Own records" scope ({ createdById: current user }).
    const scope = r.own
      ? await app.db.getRepository('dataSourcesRolesResourcesScopes').findOne({ filter: { key: 'own' } })
      : null;
    resources.push({
      name: r.name,
      dataSourceKey: 'main',
      usingActionsConfig: true,
      actions: [
        { name: 'view', fields: r.fields ?? allFields(app, r.name), ...(scope ? { scopeId: scope.get('id') } : {}) },
      ],
    });
  }
  await app.db.getRepository('roles').create({
    values: { name, title: name, strategy: { actions: grant.strategy ?? [] }, resources },
  });
  const tag = randomBytes(4).toString('hex');
  const user = await app.db.getRepository('users').create({
    values: { nickname: `${name}-${tag}`, email: `${name}-${tag}@nocobase.test`, roles: [name] },
  });
  const agent = await app.agent().login(user, name);
  return { user, agent, userId: Number(user.get('id')), role: name };
}

export async function rootAgent(app: MockServer) {
  const root = await app.db.getRepository('users').findOne({ filter: { 'roles.name': 'root' } });
  return { agent: await app.agent().login(root!, 'root'), userId: Number(root!.get('id')) };
}
