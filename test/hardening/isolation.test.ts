/**
 * Nobody but the owner reads a mailbox: not another member, not the "admin" role, not root. Every generic data path
 * a stock NocoBase app offers beside the plugin's own actions is walked as each of them: every plugin collection ×
 * every action the app has registered, every association of a plugin collection in both directions × every action,
 * charts over every collection and field, export. The paths are derived from the collection definitions, so a new
 * collection, field or association is walked without touching this file. Any 2xx carrying Alice's mail or a secret
 * column fails, so does any 2xx from a generic action on mail data, and so does any 500.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { MockServer } from '@nocobase/test';
import { ALL_MAIL_ACL_SNIPPET, MailAccountsAction, MailSettingsAction } from '../../src/shared/constants';
import { MailLinksAction } from '../../src/shared/mail-links';
import PluginEmailManagerServer from '../../src/server';
import { MailAccountsSyncAction, MailFoldersAction, MailMessagesAction } from '../../src/shared/mail-reading';
import { MailMessagesSendAction, MailOutboxAction } from '../../src/shared/mail-sending';
import { postForm } from '../../src/server/compose/__tests__/helpers/sending-app';
import { roleWithSnippets, userInRole } from '../../src/server/sharing/__tests__/helpers/roles';
import { connectedUser, seed, waitFor } from '../../src/server/sync/__tests__/helpers/reading-app';
import { getStack, registerApp } from '../mail-stack/client';
import { Agent, standInSettings, testRedirectUri, userAgent } from '../helpers/mail-app';
import { createPluginApp, GENERIC_DATA_PLUGINS } from '../helpers/plugin-app';

jest.setTimeout(600_000);

interface FieldDefinition {
  name: string;
  type: string;
  target?: string;
}
interface CollectionDefinition {
  name: string;
  fields: FieldDefinition[];
}

/** The plugin's collections as its definition files declare them. */
function pluginCollections(): CollectionDefinition[] {
  const dir = path.resolve(__dirname, '../../src/server/collections');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const definition = require(path.join(dir, f)).default as CollectionDefinition;
      return { name: definition.name, fields: definition.fields };
    });
}

/** The plugin's own, owner-scoped actions: the only ones that may answer on its resources. */
const OWN_ACTIONS: Record<string, string[]> = {
  mailAccounts: [...Object.values(MailAccountsAction), ...Object.values(MailAccountsSyncAction)],
  mailMessages: [...Object.values(MailMessagesAction), ...Object.values(MailMessagesSendAction)],
  mailFolders: Object.values(MailFoldersAction),
  mailOutbox: Object.values(MailOutboxAction),
  mailSettings: Object.values(MailSettingsAction),
  mailLinks: Object.values(MailLinksAction),
};

/** What a chart block sends: the classic page's builder (no flow model to resolve variables for) and SQL mode. */
const CHART_MODES = [{ mode: 'builder', variableResolution: 'legacy-schema' }, { mode: 'sql' }];
const chartQuery = (collection: string, fields: string[], mode: object) => ({
  collection,
  dataSource: 'main',
  ...mode,
  measures: [],
  dimensions: fields.map((f) => ({ field: [f] })),
  limit: 200,
});

interface Actor {
  role: 'member' | 'admin' | 'root';
  agent: Agent;
  userId: number;
}
interface Probe {
  what: string;
  own: boolean;
  send: (actor: Actor) => Promise<Response>;
}
type Response = { status: number; text?: string; body?: unknown; headers: Record<string, string | undefined> };

describe("nothing reaches another user's mail through NocoBase's generic routes", () => {
  const collections = pluginCollections();
  const names = new Set(collections.map((c) => c.name));
  let app: MockServer;
  let actors: Actor[];
  let alice: { agent: Agent; accountId: number; email: string; userId: number };
  /** A row of each collection, by its key (`mailLocks` is keyed by name). */
  let ids: Record<string, number | string>;
  let markers: string[];
  let genericActions: string[];
  let rowCounts: Record<string, number>;
  /** Declared by the test as an admin would in the collection manager: users → their mailboxes and outboxes. */
  const reverseFields = [
    { source: 'users', name: 'mailboxes', target: 'mailAccounts', foreignKey: 'userId' },
    { source: 'users', name: 'sentMail', target: 'mailOutbox', foreignKey: 'userId' },
  ];

  beforeAll(async () => {
    app = await createPluginApp({
      extraPlugins: GENERIC_DATA_PLUGINS,
      pluginOptions: { reading: { background: true, scanIntervalMs: 2000 } },
    });
    const stack = getStack();
    const admin = await userAgent(app, 'admin');
    const registration = await registerApp({ redirectUris: [testRedirectUri(app)] });
    const saved = await admin.agent.resource('mailSettings').update({
      values: standInSettings(registration, {
        imapHost: 'localhost',
        imapPort: stack.imap.port,
        smtpHost: 'localhost',
        smtpPort: stack.smtp.port,
      }),
    });
    if (saved.status !== 200) throw new Error(`settings: ${saved.status} ${JSON.stringify(saved.body)}`);

    const email = `alice-${Date.now()}@example.test`;
    await seed(email, 'INBOX', [
      {
        subject: 'Alice private',
        text: 'secret plans',
        attachments: [
          { filename: 'plans.pdf', content: Buffer.from('%PDF-1.4 secret'), contentType: 'application/pdf' },
        ],
      },
    ]);
    const connected = await connectedUser(app, email);
    alice = { ...connected, userId: Number(connected.user.get('id')) };
    const message = await waitFor(
      async () => {
        const list = (await alice.agent.resource('mailMessages').list()).body.data as Array<{
          id: number;
          folderId: number;
          subject: string;
        }>;
        return list.find((m) => m.subject === 'Alice private');
      },
      { what: "Alice's message", timeoutMs: 60_000 },
    );
    const draft = await postForm(
      alice.agent,
      'mailMessages:saveDraft',
      { accountId: alice.accountId, subject: 'Alice draft', html: '<p>draft body</p>' },
      [{ name: 'draft-notes.txt', content: Buffer.from('draft file content') }],
    );
    if (draft.status !== 200) throw new Error(`draft: ${draft.status} ${JSON.stringify(draft.body)}`);
    const draftId = Number(draft.body.data.id);
    // One read through the admin's all-mail view, so its access log has a row to aim at; then the view is off again.
    await admin.agent.resource('mailSettings').update({ values: { allMailEnabled: true } });
    const auditor = await userInRole(app, await roleWithSnippets(app, [ALL_MAIL_ACL_SNIPPET]));
    const audited = await auditor.agent.resource('mailAllMail').get({ filterByTk: message.id });
    if (audited.status !== 200) throw new Error(`all-mail read: ${audited.status} ${JSON.stringify(audited.body)}`);
    await admin.agent.resource('mailSettings').update({ values: { allMailEnabled: false } });

    const db = app.db;
    const one = async (collection: string, filter: Record<string, unknown> = {}) => {
      const row = await db.getModel(collection).findOne({ where: filter });
      if (!row) throw new Error(`no ${collection} row`);
      return row;
    };
    // Alice's message linked to her user record: a link's row names her mail by its Message-ID.
    const plugin = app.pm.get(PluginEmailManagerServer) as PluginEmailManagerServer;
    const linked = await plugin.links.link({
      userId: alice.userId,
      messageRowId: message.id,
      collection: 'users',
      recordKey: alice.userId,
    });
    const account = await one('mailAccounts', { id: alice.accountId });
    const settings = await one('mailSettings');
    // A mail workflow started for Alice's message: its delivery row names her mailbox and Message-ID.
    const delivery = await db
      .getModel('mailWorkflowDeliveries')
      .create({ workflowKey: 'probe', mailbox: email, messageKey: '<alice-private@example.net>' });
    // A lease on Alice's mailbox, as the node syncing it holds one.
    const lease = await db.getModel('mailLocks').create({
      lockKey: `probe:mail-sync-owner:${alice.accountId}`,
      holder: 'probe#1',
      expiresAt: Date.now() + 3_600_000,
    });
    ids = {
      mailAccounts: alice.accountId,
      mailFolders: message.folderId,
      mailMessages: message.id,
      mailParticipants: Number((await one('mailParticipants', { messageRowId: message.id })).get('id')),
      mailOutbox: draftId,
      mailOutboxFiles: Number((await one('mailOutboxFiles', { outboxId: draftId })).get('id')),
      mailSyncStates: Number((await one('mailSyncStates', { accountId: alice.accountId })).get('id')),
      mailOAuthStates: Number((await one('mailOAuthStates')).get('id')),
      mailSettings: Number(settings.get('id')),
      mailLinks: linked.linkId,
      mailAccessLog: Number((await one('mailAccessLog', { accountId: alice.accountId })).get('id')),
      mailWorkflowDeliveries: Number(delivery.get('id')),
      mailLocks: String(lease.get('lockKey')),
      users: alice.userId,
    };
    for (const c of collections)
      if (!ids[c.name]) throw new Error(`no row of ${c.name} to aim at: add it to the setup`);
    const tokenCache = String(account.get('tokenCache'));
    const clientSecret = String(settings.get('clientSecret'));
    if (tokenCache.length < 40 || clientSecret.length < 20) throw new Error('the secret columns are not filled');
    markers = [
      email,
      'Alice private',
      'plans.pdf',
      'secret plans',
      'Alice draft',
      'draft-notes.txt',
      'draft file content',
      tokenCache.slice(0, 40),
      clientSecret.slice(0, 20),
      String((await one('mailMessages', { id: message.id })).get('messageId')),
    ];

    for (const f of reverseFields)
      db.getCollection(f.source).setField(f.name, { type: 'hasMany', target: f.target, foreignKey: f.foreignKey });

    const rootUser = await db.getRepository('users').findOne({ filter: { 'roles.name': 'root' } });
    const member = await userAgent(app, 'member');
    actors = [
      { role: 'member', agent: member.agent, userId: Number(member.user.get('id')) },
      { role: 'admin', agent: admin.agent, userId: Number(admin.user.get('id')) },
      { role: 'root', agent: await app.agent().login(rootUser!, 'root'), userId: Number(rootUser!.get('id')) },
    ];
    // Every handler the app has, including those other plugins registered (export, …), and the usual generic ones.
    genericActions = [
      ...new Set([
        ...app.resourceManager.getRegisteredHandlers().keys(),
        'list',
        'get',
        'create',
        'update',
        'destroy',
        'export',
        'query',
      ]),
    ]
      .map(String)
      .filter((a) => !a.includes(':'));
    rowCounts = await counts();
  });

  afterAll(async () => {
    await app?.destroy();
  });

  async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    // Leases come and go with the background sync and token refreshes: a refused write is seen by its status.
    for (const c of collections) if (c.name !== 'mailLocks') out[c.name] = await app.db.getModel(c.name).count();
    return out;
  }

  function leaked(res: Response): string | undefined {
    const text = `${res.text ?? ''}${JSON.stringify(res.body ?? '')}`;
    const marker = markers.find((m) => text.includes(m));
    if (marker) return `carries "${marker.slice(0, 24)}"`;
    if (/attachment/i.test(res.headers['content-disposition'] ?? '')) return 'is a file download';
    return undefined;
  }

  /** Runs every probe as the actor; returns what went wrong, one line each. */
  async function walk(actor: Actor, probes: Probe[]): Promise<string[]> {
    const problems: string[] = [];
    for (const probe of probes) {
      const res = await probe.send(actor);
      if (res.status >= 500) problems.push(`${probe.what} → ${res.status}`);
      else if (res.status < 300 && !probe.own)
        problems.push(
          `${probe.what} → ${res.status} (a generic action answered on mail data${leaked(res) ? `, ${leaked(res)}` : ''})`,
        );
      else if (res.status < 300 && leaked(res)) problems.push(`${probe.what} → ${res.status}, ${leaked(res)}`);
    }
    return problems;
  }

  const writeValues = (actor: Actor) => ({
    userId: actor.userId,
    accountId: 0,
    subject: 'overwritten',
    name: 'overwritten',
    address: 'taken@example.test',
  });

  function call(
    name: string,
    sourceId: number | string | undefined,
    action: string,
    filterByTk: number | string | undefined,
  ): Probe['send'] {
    return (actor) => {
      const resource = actor.agent.resource(name, sourceId) as unknown as Record<
        string,
        (params: object) => Promise<Response>
      >;
      return resource[action]({ filterByTk, values: writeValues(actor) });
    };
  }

  function resourceProbes(): Probe[] {
    return collections.flatMap((c) =>
      genericActions.map((action) => ({
        what: `${c.name}:${action}?filterByTk=<Alice's>`,
        own: (OWN_ACTIONS[c.name] ?? []).includes(action),
        send: call(c.name, undefined, action, ids[c.name]),
      })),
    );
  }

  function associationProbes(): Probe[] {
    const paths: Array<{ source: string; field: string; target: string }> = [
      // Plugin collection → anything (its own belongsTo fields).
      ...collections.flatMap((c) =>
        c.fields.filter((f) => f.target).map((f) => ({ source: c.name, field: f.name, target: f.target! })),
      ),
      // Anything → plugin collection: every association in the app that points at one (declared here or elsewhere).
      ...[...app.db.collections.values()]
        .filter((c) => !names.has(c.name))
        .flatMap((c) =>
          [...c.fields.values()]
            .filter((f) => names.has(String((f.options as { target?: string }).target)))
            .map((f) => ({ source: c.name, field: f.name, target: String((f.options as { target?: string }).target) })),
        ),
      // No such association: a plugin collection's name used as one (NocoBase answered 500 there).
      ...collections.map((c) => ({ source: 'users', field: c.name, target: c.name })),
    ];
    return paths.flatMap(({ source, field, target }) =>
      genericActions.map((action) => ({
        what: `${source}/<Alice's>/${field}:${action}`,
        own: false,
        send: call(`${source}.${field}`, ids[source] ?? 1, action, ids[target] ?? 1),
      })),
    );
  }

  function chartProbes(): Probe[] {
    return collections.flatMap((c) =>
      [
        ...c.fields.filter((f) => !f.target).map((f) => [f.name]),
        c.fields.filter((f) => !f.target).map((f) => f.name),
      ].flatMap((fields) =>
        CHART_MODES.map((mode) => ({
          what: `charts:queryData ${c.name} [${fields.length > 1 ? 'every field' : fields[0]}] (${mode.mode})`,
          own: false,
          send: (actor: Actor) =>
            actor.agent
              .post('/charts:queryData')
              .send(chartQuery(c.name, fields, mode)) as unknown as Promise<Response>,
        })),
      ),
    );
  }

  /** Other ways in: flow-engine record variables, and an association declared towards mail data used from `users`. */
  function readerProbes(): Probe[] {
    const viaUsers: Array<[string, Record<string, unknown>]> = [
      ['appends', { appends: ['mailboxes'] }],
      ['appends through', { appends: ['sentMail.account'] }],
      ['fields', { fields: ['id', 'mailboxes.address'] }],
      ['filter', { filter: JSON.stringify({ 'mailboxes.address': { $includes: 'alice' } }) }],
      ['nested filter', { filter: JSON.stringify({ $and: [{ sentMail: { subject: { $includes: 'Alice' } } }] }) }],
      ['sort', { sort: ['-mailboxes.address'] }],
    ];
    return [
      ...collections.map((c) => ({
        what: `variables:resolve a ${c.name} record`,
        own: false,
        send: (actor: Actor) =>
          actor.agent.post('/variables:resolve').send({
            template: { value: '{{ ctx.record }}' },
            contextParams: { record: { collection: c.name, dataSourceKey: 'main', filterByTk: ids[c.name] } },
          }) as unknown as Promise<Response>,
      })),
      ...viaUsers.flatMap(([what, query]) => [
        {
          what: `users:get ${what}`,
          own: false,
          send: (actor: Actor) =>
            actor.agent.get('/users:get').query({ filterByTk: alice.userId, ...query }) as unknown as Promise<Response>,
        },
        {
          what: `users:list ${what}`,
          own: false,
          send: (actor: Actor) => actor.agent.get('/users:list').query(query) as unknown as Promise<Response>,
        },
        {
          what: `roles/member/users:list ${what}`,
          own: false,
          send: (actor: Actor) =>
            actor.agent.get('/roles/member/users:list').query(query) as unknown as Promise<Response>,
        },
      ]),
    ];
  }

  it('the probes can see a leak: root charts and exports the users collection', async () => {
    const root = actors.find((a) => a.role === 'root')!;
    for (const mode of CHART_MODES) {
      const chart = await root.agent.post('/charts:queryData').send(chartQuery('users', ['email'], mode));
      expect(chart.status).toBe(200);
      expect(JSON.stringify(chart.body)).toContain('@nocobase.test');
    }
    const exported = await root.agent
      .post('/users:export')
      .send({ title: 'users', columns: [{ dataIndex: ['email'], defaultTitle: 'Email' }] });
    expect(exported.status).toBe(200);
    expect(exported.headers['content-disposition']).toMatch(/attachment/);
  });

  describe.each(['member', 'admin', 'root'] as const)('as %s', (role) => {
    const actor = () => actors.find((a) => a.role === role)!;

    it('no generic action on a plugin collection answers, nor leaks, nor fails', async () => {
      expect(await walk(actor(), resourceProbes())).toEqual([]);
    });

    it('no association of a plugin collection, either direction, answers, nor fails', async () => {
      expect(await walk(actor(), associationProbes())).toEqual([]);
    });

    it('charts over every plugin collection and field give nothing', async () => {
      expect(await walk(actor(), chartProbes())).toEqual([]);
    });

    it('no other reader of records reaches mail data: record variables, appends/fields/filter/sort through an association', async () => {
      expect(await walk(actor(), readerProbes())).toEqual([]);
    });
  });

  it('a handler registered after the plugin loaded does not answer on mail data either', async () => {
    // NocoBase defines an association's resource at its first request, with every handler registered by then; so
    // the routes probed here are ones no request has used yet, declared now as an admin would declare them.
    app.db
      .getCollection('mailFolders')
      .setField('messagesHere', { type: 'hasMany', target: 'mailMessages', foreignKey: 'folderId' });
    app.db.getCollection('users').setField('drafts', { type: 'hasMany', target: 'mailOutbox', foreignKey: 'userId' });
    app.resourceManager.registerActionHandler('peek', async (ctx, next) => {
      ctx.body = await (ctx.getCurrentRepository() as { find: () => Promise<unknown> }).find();
      await next();
    });
    const root = actors.find((a) => a.role === 'root')!;
    const probes: Probe[] = [
      ...collections.map((c) => ({
        what: `${c.name}:peek`,
        own: false,
        send: call(c.name, undefined, 'peek', undefined),
      })),
      {
        what: "mailFolders/<Alice's>/messagesHere:peek",
        own: false,
        send: call('mailFolders.messagesHere', ids.mailFolders, 'peek', undefined),
      },
      { what: "users/<Alice's>/drafts:peek", own: false, send: call('users.drafts', alice.userId, 'peek', undefined) },
    ];
    expect(await walk(root, probes)).toEqual([]);
    // The same handler answers on an ordinary association: the refusal is about mail data, not the handler.
    const control = await root.agent.get(`/users/${alice.userId}/roles:peek`);
    expect(control.status).toBe(200);
    expect(JSON.stringify(control.body)).toContain('member');
  });

  it('known limit, stated in the README: SQL typed by root or the "admin" role (flow-engine\'s flowSql:run) reads the tables', async () => {
    const sql = `SELECT subject FROM ${app.db.getCollection('mailMessages').quotedTableName()}`;
    for (const actor of actors) {
      const res = await actor.agent.post('/flowSql:run').send({ sql, type: 'selectRows' });
      if (actor.role === 'member') expect(res.status).toBe(403);
      else expect(JSON.stringify(res.body)).toContain('Alice private');
    }
  });

  it("afterwards, nothing of Alice's changed and her own actions still work", async () => {
    expect(await counts()).toEqual(rowCounts);
    const account = await app.db.getModel('mailAccounts').findByPk(alice.accountId);
    expect(Number(account!.get('userId'))).toBe(alice.userId);
    const mine = (await alice.agent.resource('mailMessages').list()).body.data as Array<{ subject: string }>;
    expect(mine.map((m) => m.subject)).toContain('Alice private');
    const outbox = await alice.agent.resource('mailOutbox').get({ filterByTk: ids.mailOutbox });
    expect(outbox.status).toBe(200);
    expect(JSON.stringify(outbox.body)).toContain('Alice draft');
    for (const actor of actors) {
      const theirs = await actor.agent.resource('mailAccounts').list();
      expect(theirs.status).toBe(200);
      expect(JSON.stringify(theirs.body)).not.toContain(alice.email);
    }
  });
});
