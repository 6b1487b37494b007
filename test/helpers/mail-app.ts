/**
 * A NocoBase app with the plugin, users to act as, and the Microsoft settings pointed at the identity stand-in.
 * Everything goes through HTTP as a signed-in user, as the browser would.
 */
import { randomBytes } from 'node:crypto';
import type { MockServer } from '@nocobase/test';
import PluginEmailManagerServer from '../../src/server';
import { createPluginApp } from './plugin-app';
import { AppRegistration, registerApp, SignInReturn, signInReturn, standInAddress } from './stand-in';

/** Where tests pretend the app is served; the stand-in only checks it against the registered redirect URIs. */
export const TEST_PUBLIC_URL = 'http://localhost:13000/';

/** The redirect URI the settings show for TEST_PUBLIC_URL: the app's API prefix (none under the test server). */
export function testRedirectUri(app: MockServer): string {
  const prefix = (app.resourceManager.options.prefix ?? '').replace(/^\/+|\/+$/g, '');
  return `${TEST_PUBLIC_URL}${prefix ? `${prefix}/` : ''}mailOAuth:callback`;
}

export type Agent = ReturnType<MockServer['agent']>;

export async function createMailApp(pluginOptions: Record<string, unknown> = {}, extraPlugins: string[] = []) {
  const app = await createPluginApp({ pluginOptions, extraPlugins });
  const plugin = app.pm.get(PluginEmailManagerServer) as PluginEmailManagerServer;
  return { app, plugin };
}

/** A user with the given role, and an agent signed in as them with that role. */
export async function userAgent(app: MockServer, role: 'member' | 'admin' = 'member') {
  const tag = randomBytes(4).toString('hex');
  const user = await app.db.getRepository('users').create({
    values: { nickname: `${role}-${tag}`, email: `${role}-${tag}@nocobase.test`, roles: [role] },
  });
  const agent = await app.agent().login(user, role);
  return { user, agent };
}

/** Settings values for the stand-in, as an admin would type them (custom cloud). */
export function standInSettings(registration: AppRegistration, overrides: Record<string, unknown> = {}) {
  return {
    clientId: registration.clientId,
    clientSecret: registration.secret,
    tenant: 'common',
    cloud: 'custom',
    authorityHost: standInAddress().authorityHost,
    publicUrl: TEST_PUBLIC_URL,
    ...overrides,
  };
}

/** Registers an Entra app at the stand-in and saves it in the settings through the admin's agent. */
export async function configureStandIn(app: MockServer, admin: Agent, registration?: Partial<AppRegistration>) {
  const registered = await registerApp({ redirectUris: [testRedirectUri(app)], ...registration });
  const res = await admin.resource('mailSettings').update({ values: standInSettings(registered) });
  if (res.status !== 200) throw new Error(`saving settings failed: ${res.status} ${JSON.stringify(res.body)}`);
  return registered;
}

/**
 * The path and query the stand-in redirected the browser to, for an agent (which reaches the app directly, as a
 * reverse proxy serving TEST_PUBLIC_URL would).
 */
export function callbackPath(redirectedTo: string): string {
  const url = new URL(redirectedTo);
  if (url.origin !== new URL(TEST_PUBLIC_URL).origin || !url.pathname.endsWith('/mailOAuth:callback')) {
    throw new Error(`redirected elsewhere: ${redirectedTo}`);
  }
  return `${url.pathname}${url.search}`;
}

/** The fields of the callback's relay page (the form it posts again from the app's own origin), or null. */
export function relayFields(html: string | undefined): Record<string, string> | null {
  if (!html || !/<form method="POST" action="" id="mailbridge-relay">/.test(html)) return null;
  const fields: Record<string, string> = {};
  const unescape = (v: string) =>
    v
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
    fields[unescape(m[1])] = unescape(m[2]);
  return fields;
}

/**
 * The browser's return from the sign-in to the callback: the form Microsoft's page posts (form_post), or a GET for
 * a redirect; then, when the callback answers with its relay page, the browser submitting that. `agent` carries
 * its cookies on both.
 */
export async function returnToApp(agent: Agent, returned: SignInReturn) {
  const path = callbackPath(returned.url);
  const first =
    returned.method === 'POST' ? await agent.post(path).type('form').send(returned.fields) : await agent.get(path);
  const relay = relayFields(first.text);
  return relay ? agent.post(path).type('form').send(relay) : first;
}

/** connect → sign in at the stand-in → the browser's return to the callback. Returns every response on the way. */
export async function connectMailbox(
  agent: Agent,
  email: string,
  options: { consent?: boolean; callbackAgent?: Agent } = {},
) {
  const start = await agent.resource('mailAccounts').connect();
  if (start.status !== 200) throw new Error(`connect failed: ${start.status} ${JSON.stringify(start.body)}`);
  const returned = await signInReturn(start.body.data.authorizeUrl, email, { consent: options.consent });
  const callback = await returnToApp(options.callbackAgent ?? agent, returned);
  return { start, returned, callback };
}

/** The outcome the callback page posts to its opener. */
export function pageMessage(html: string): {
  type: string;
  ok: boolean;
  accountId?: number;
  error?: string;
  code?: string;
} {
  const json = /var message = (\{.*?\});/.exec(html)?.[1];
  if (!json) throw new Error(`no result message in page: ${html.slice(0, 300)}`);
  return JSON.parse(json);
}
