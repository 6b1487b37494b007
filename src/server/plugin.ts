import path from 'node:path';
import { Plugin } from '@nocobase/server';
import {
  MAIL_ACCOUNTS_RESOURCE,
  MAIL_OAUTH_RESOURCE,
  MAIL_SETTINGS_RESOURCE,
  MailAccountsAction,
  MailOAuthAction,
  MailSettingsAction,
  PLUGIN_NAME,
  SETTINGS_ACL_SNIPPET,
} from '../shared/constants';
import { PrivateCollections } from './access/private-collections';
import { privateRoutesGuard } from './access/private-routes';
import { mailAccountsActions } from './actions/mail-accounts';
import { mailErrors } from './actions/mail-errors';
import { mailOAuthActions } from './actions/mail-oauth';
import { mailSettingsActions, singletonUpdate } from './actions/mail-settings';
import { createLinks, defineLinkResources } from './linking';
import type { LinkService } from './links/link-service';
import { makeSqliteWritersWait } from './db/sqlite-busy';
import { microsoftProvider } from './providers/microsoft';
import { registerMailProvider } from './providers/register-provider';
import { defineReadingResources } from './reading';
import { defineRecordsResources } from './records';
import { defineSendingResources } from './sending';
import { defineSharingResources } from './sharing/register';
import { createMailServices, MailServices, MailServicesOptions } from './services';
import { MailSendingOptions, registerMailSending } from './compose/register';
import { getMailReading, MailReadingOptions, registerMailReading } from './sync/register';
import { MailWorkflowOptions, MailWorkflows, registerMailWorkflows } from './workflow/register';

export class PluginEmailManagerServer extends Plugin {
  /** What the plugin stored, changed, removed and sent, on the node that did it: see events.ts. */
  events!: MailServices['events'];
  providers!: MailServices['providers'];
  settings!: MailServices['settings'];
  accounts!: MailServices['accounts'];
  /** Access tokens for IMAP/SMTP: `tokens.getAccessToken(account)`, `tokens.invalidate(account, rejected)`. */
  tokens!: MailServices['tokens'];
  connect!: MailServices['connect'];
  /** Links between mail and business records: `links.link({ userId, messageRowId, collection, recordKey, whole })`. */
  links!: LinkService;
  /** Owners' sharing levels and private folders, and the mailbox scopes they give a viewer on records. */
  sharing!: MailServices['sharing'];
  /** The workflow triggers and nodes, or null where the workflow plugin is not installed or enabled. */
  workflows!: MailWorkflows | null;

  async load() {
    // An installed package has its collections imported by NocoBase; a plugin passed as a class does not. Either way
    // they carry the package name as their origin, which is what makes them private (access/).
    const origin = this.options.packageName || PLUGIN_NAME;
    if (!this.options.packageName)
      await this.db.import({ directory: path.resolve(__dirname, 'collections'), from: origin });
    makeSqliteWritersWait(this.db);

    const services = createMailServices(this.app, this.options.services as MailServicesOptions | undefined);
    Object.assign(this, services);
    registerMailProvider(this.db, this.providers, microsoftProvider);
    this.accounts.subscribe();
    const privateCollections = new PrivateCollections(this.db, origin);
    this.links = createLinks(this.app, privateCollections);

    const resources = this.app.resourceManager;
    resources.define({
      name: MAIL_SETTINGS_RESOURCE,
      middlewares: [mailErrors('admin')],
      actions: mailSettingsActions(this.settings),
      only: Object.values(MailSettingsAction),
    });
    resources.use(singletonUpdate, { tag: 'mailSettingsSingleton', before: 'validate-filter-params' });
    resources.define({
      name: MAIL_ACCOUNTS_RESOURCE,
      middlewares: [mailErrors('user')],
      actions: mailAccountsActions({ ...services, links: this.links }),
      only: Object.values(MailAccountsAction),
    });
    resources.define({
      name: MAIL_OAUTH_RESOURCE,
      actions: mailOAuthActions(services),
      only: Object.values(MailOAuthAction),
    });
    // Only the plugin's own, owner-scoped handlers answer on its collections, for every role root included: no
    // generic action, no association route, no other plugin's query of them.
    resources.use(privateRoutesGuard(privateCollections), {
      tag: 'mailbridgePrivateRoutes',
      before: 'acl',
    });

    // Admin-only resources are granted through this snippet; roles without it get 403.
    this.app.acl.registerSnippet({ name: SETTINGS_ACL_SNIPPET, actions: [`${MAIL_SETTINGS_RESOURCE}:*`] });
    this.app.acl.allow(MAIL_ACCOUNTS_RESOURCE, Object.values(MailAccountsAction), 'loggedIn');
    // A browser redirect from the provider's sign-in carries no NocoBase token; the stored state names the user.
    this.app.acl.allow(MAIL_OAUTH_RESOURCE, MailOAuthAction.callback, 'public');

    const readingOptions = (this.options.reading ?? {}) as MailReadingOptions;
    const reading = registerMailReading(this.app, services, readingOptions);
    defineReadingResources(this.app, reading, readingOptions);
    defineLinkResources(this.app, this.links);
    const sharing = defineSharingResources(this.app, {
      sharing: this.sharing,
      settings: this.settings,
      bodies: reading.bodies,
    });
    // A record's mail is matched ∪ linked (the links' Message-IDs and thread keys are ORed into the match), seen
    // through the viewer's mailbox scopes.
    defineRecordsResources(this.app, reading, privateCollections, {
      ...sharing,
      linkedKeysOf: this.links.linkedKeysOf,
    });
    const sending = registerMailSending(
      this.app,
      services,
      reading,
      (this.options.sending ?? {}) as MailSendingOptions,
    );
    defineSendingResources(this.app, sending, this.links);
    this.workflows = registerMailWorkflows(
      this.app,
      services,
      reading,
      sending,
      this.links,
      (this.options.workflow ?? {}) as MailWorkflowOptions,
    );
  }

  /** A fresh app gets the search index with its tables (an upgraded one from the migration). */
  async install() {
    await getMailReading(this.app).search.reconcile();
  }

  // NocoBase finds an installed package's migrations in its dist/server/migrations; a plugin passed as a class has
  // no package path, so its migrations are read from beside this file, as its collections are in load().
  async loadMigrations() {
    if (this.options.packageName) return super.loadMigrations();
    return this.app.loadMigrations({
      directory: path.resolve(__dirname, 'migrations'),
      namespace: PLUGIN_NAME,
      context: { plugin: this },
    });
  }
}

export default PluginEmailManagerServer;
