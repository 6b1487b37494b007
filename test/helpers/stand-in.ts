/**
 * The Microsoft identity stand-in's HTTP test hooks and its sign-in page, driven the way a browser would. Reads the
 * stack's port base from MAILSTACK_PORT_BASE (the test stack's default otherwise).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { portBaseFromEnv, portsFor } from '../mail-stack/ports';

export function standInAddress() {
  const ports = portsFor(portBaseFromEnv());
  return {
    /** For MSAL's knownAuthorities and the custom cloud setting. */
    authorityHost: `localhost:${ports.identityHttps}`,
    hooksUrl: `http://127.0.0.1:${ports.identityHttp}/_test`,
  };
}

async function hook(method: 'GET' | 'POST', path: string, body?: unknown) {
  const res = await fetch(`${standInAddress().hooksUrl}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`stand-in hook ${path}: ${JSON.stringify(json)}`);
  return json;
}

export interface AppRegistration {
  clientId: string;
  secret: string;
  redirectUris: string[];
  singleTenant?: boolean;
  tenantId?: string;
  secretExpired?: boolean;
}

/** Registers an Entra app at the stand-in, as an admin would in the portal. */
export async function registerApp(app: Partial<AppRegistration> & { redirectUris: string[] }): Promise<AppRegistration> {
  const full = { clientId: randomUUID(), secret: `${randomBytes(3).toString('hex')}8Q~${randomBytes(24).toString('base64url')}`, ...app };
  await hook('POST', '/apps', full);
  return full;
}

/** Revokes every grant of the user (TokensValidFrom = now), like a password reset. */
export const revokeUser = (email: string) => hook('POST', '/revoke', { email });

export interface ForcedTokenError {
  error: string;
  description: string;
  errorCodes?: number[];
  suberror?: string;
  status?: number;
  match?: { email?: string; clientId?: string; grantType?: string };
}

/** Makes the next matching token request fail with Microsoft's error body. */
export const failNextTokenRequest = (error: ForcedTokenError) => hook('POST', '/fail-next-token', error);

export async function tokenEndpointCalls(filter: { email?: string; clientId?: string; grantType?: string }): Promise<number> {
  const q = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]);
  return (await hook('GET', `/token-calls?${q}`)).count as number;
}

export function newMailboxAddress(prefix = 'user'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}@example.test`;
}

/** Undoes the page's attribute escaping (numeric references such as `&#38;`, and the named basics). */
function unescapeHtml(s: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return s.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (m, ref: string) => {
    if (ref[0] !== '#') return named[ref.toLowerCase()] ?? m;
    return String.fromCodePoint(ref[1].toLowerCase() === 'x' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1)));
  });
}

/** The readable text of a stand-in page, for failure messages. */
function pageText(html: string): string {
  return html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 500);
}

/**
 * Opens the authorize URL and submits the sign-in form as `email` (accept, or cancel for "decline").
 * Returns where the stand-in redirects the browser: the app's callback URL with code/state or error.
 */
export async function signIn(authorizeUrl: string, email: string, options: { consent?: boolean } = {}): Promise<string> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  if (page.status >= 300 && page.status < 400) return page.headers.get('location') as string;
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const ctx = /name="ctx" value="([^"]*)"/.exec(html)?.[1];
  if (!action || ctx === undefined) throw new Error(`no sign-in form at ${authorizeUrl}: ${pageText(html)}`);
  const res = await fetch(new URL(unescapeHtml(action), authorizeUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ctx: unescapeHtml(ctx), login: email, action: options.consent === false ? 'cancel' : 'accept' }),
  });
  const location = res.headers.get('location');
  if (!location) throw new Error(`sign-in as ${email} did not redirect (HTTP ${res.status}): ${pageText(await res.text())}`);
  return location;
}
