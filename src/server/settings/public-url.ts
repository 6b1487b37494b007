import { MAIL_OAUTH_RESOURCE, MAILBOX_ROUTE_PATH, MailOAuthAction } from '../../shared/constants';
import { invalidInput } from '../errors/mail-error';

/** The parts of a request that tell where the browser reached the app. */
export interface RequestOrigin {
  headers: Record<string, string | string[] | undefined>;
  protocol: string;
  host: string;
}

function first(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v?.split(',')[0]?.trim() || undefined;
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

function appPublicPath(): string {
  const raw = process.env.APP_PUBLIC_PATH || '/';
  return `/${raw.replace(/^\/+|\/+$/g, '')}/`.replace(/\/+/g, '/');
}

/**
 * Where the admin's browser reached the app: the page's origin (Origin, else Referer) wins over the Host header,
 * because behind a reverse proxy only the browser knows the public address; then NocoBase's APP_PUBLIC_PATH.
 */
export function publicUrlFromRequest(req: RequestOrigin): string {
  const forwarded = first(req.headers['x-forwarded-host'])
    ? `${first(req.headers['x-forwarded-proto']) || req.protocol}://${first(req.headers['x-forwarded-host'])}`
    : undefined;
  const origin =
    originOf(first(req.headers.origin)) ??
    originOf(first(req.headers.referer)) ??
    originOf(forwarded) ??
    `${req.protocol}://${req.host}`;
  return `${origin}${appPublicPath()}`;
}

/** Validates an admin-entered public URL and normalises it to end with `/`. */
export function normalizePublicUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw invalidInput('The public URL must be a full address such as https://crm.example.com/.');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw invalidInput('The public URL must start with https:// (or http:// for a local test).');
  if (u.username || u.password || u.search || u.hash)
    throw invalidInput('The public URL must not contain a user name, query or fragment.');
  return `${u.origin}${u.pathname.replace(/\/*$/, '/')}`;
}

/**
 * The OAuth redirect URI: NocoBase's API base as the browser sees it, resolved against the public URL. That is
 * API_BASE_URL when set (what NocoBase hands its own client), else the path the app serves its API under.
 */
export function redirectUriFor(publicUrl: string, apiBasePath: string): string {
  const apiBase = process.env.API_BASE_URL || apiBasePath || '/';
  const base = new URL(apiBase, publicUrl);
  base.pathname = base.pathname.replace(/\/*$/, '/');
  return `${base.origin}${base.pathname}${MAIL_OAUTH_RESOURCE}:${MailOAuthAction.callback}`;
}

/**
 * The mailbox page a full-page sign-in returns to: absolute under the saved public URL, else a path (with
 * APP_PUBLIC_PATH) that the browser resolves against the server that served the page.
 */
export function mailboxUrlFor(publicUrl: string | null, query: Record<string, string>): string {
  const url = new URL(MAILBOX_ROUTE_PATH, publicUrl ?? `http://app.invalid${appPublicPath()}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return publicUrl ? url.toString() : `${url.pathname}${url.search}`;
}
