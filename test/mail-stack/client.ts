/**
 * What tests import to use the running mail stack: where it is, fresh mailbox
 * addresses, the identity stand-in's test hooks, its sign-in page driven as a
 * browser would, and ways to put mail in (deliver, seed) and see mail that left
 * for outside addresses (the sink).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { simpleParser, ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import type { AppRegistration } from './identity/apps';
import type { ForcedError, IdentitySettings } from './identity/state';
import { stackFileFor } from './paths';
import { postfixPaths } from './postfix';
import { seedMailbox as seedWithDoveadm, SeedOptions, SeedResult } from './seed';
import type { MailStack } from './types';

export type { MailStack } from './types';
export type { AppRegistration } from './identity/apps';
export type { SeedOptions, SeedResult } from './seed';

let cached: MailStack | undefined;

/** The stack global setup started: from `MAILSTACK` (JSON) or `.mailstack/<name>/stack.json`. */
export function getStack(name = process.env.MAILSTACK_NAME || 'test'): MailStack {
  if (cached && cached.name === name) return cached;
  if (process.env.MAILSTACK) {
    const fromEnv = JSON.parse(process.env.MAILSTACK) as MailStack;
    if (fromEnv.name === name) return (cached = fromEnv);
  }
  const file = stackFileFor(name);
  if (!fs.existsSync(file)) {
    throw new Error(
      `mail stack "${name}" is not running (no ${file}); start it with: npx tsx test/mail-stack/cli.ts start --name ${name}`,
    );
  }
  return (cached = JSON.parse(fs.readFileSync(file, 'utf8')) as MailStack);
}

/** A mailbox nobody else uses: `<prefix>-<random>@example.test`, created on first login or delivery. */
export function newMailboxAddress(prefix = 'user'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}@example.test`.toLowerCase();
}

/** MSAL configuration pieces for a tenant segment (`common`, `organizations`, a tenant id). */
export function authorityFor(tenant = 'common', stack = getStack()) {
  return { authority: `${stack.authorityUrl}${tenant}`, knownAuthorities: [stack.authorityHost] };
}

async function hook<T = Record<string, unknown>>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
  const res = await fetch(`${getStack().hooksUrl}${route}`, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`identity hook ${route}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Registers (or replaces) an app, as an admin would in the Azure portal. Defaults: a fresh client id and secret. */
export async function registerApp(
  app: Partial<AppRegistration> & { redirectUris: string[] },
): Promise<AppRegistration> {
  const full: AppRegistration = {
    clientId: randomUUID(),
    // Shaped like a portal secret value (`xxx8Q~...`), which is what admins paste.
    secret: `${randomBytes(3).toString('hex')}8Q~${randomBytes(27).toString('base64url')}`,
    ...app,
  };
  await hook('POST', '/apps', full);
  return full;
}

/** Revokes every grant the user gave (TokensValidFrom = now), as a password reset or admin revocation does. */
export async function revokeUser(email: string) {
  await hook('POST', '/revoke', { email });
}

/** Makes access tokens issued so far (for one user, or everyone) fail IMAP/SMTP login as expired. */
export async function expireAccessTokens(email?: string) {
  await hook('POST', '/expire-access-tokens', email ? { email } : {});
}

/**
 * The next token request that matches fails with this Microsoft error, e.g.
 * `{ error: 'invalid_client', description: 'AADSTS7000215: Invalid client secret provided. ...' }`.
 * Give `match` (email/clientId/grantType) when other tests may call the token endpoint meanwhile.
 */
export async function failNextTokenRequest(e: ForcedError) {
  await hook('POST', '/fail-next-token', e);
}

export interface CallFilter {
  email?: string;
  clientId?: string;
  grantType?: 'authorization_code' | 'refresh_token' | 'client_credentials' | string;
}

/** Token endpoint requests so far (including failed ones) that match; filter by user or app to stay parallel-safe. */
export async function tokenEndpointCalls(filter: CallFilter = {}): Promise<number> {
  const q = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]);
  return (await hook<{ count: number }>('GET', `/token-calls?${q}`)).count;
}

export async function resetTokenEndpointCalls(filter: Omit<CallFilter, 'grantType'> = {}) {
  await hook('POST', '/token-calls/reset', filter);
}

/**
 * Takes the identity stand-in off the network (hooks keep working): connections are
 * dropped, or answered with `status` (e.g. 503) when given. IMAP/SMTP logins then
 * fail with Dovecot's `[UNAVAILABLE] Temporary authentication failure`. Scope it to
 * one user (`email`: their token requests and logins) or app (`clientId`) so tests
 * running in parallel are not affected; with neither, everything is down. `hang` accepts
 * requests and never answers them (a stalled service rather than an unreachable one).
 */
export async function setIdentityDown(
  down: boolean,
  opts: { email?: string; clientId?: string; status?: number; hang?: boolean } = {},
) {
  await hook('POST', '/down', { down, ...opts });
}

/** Changes lifetimes and refresh-token reuse for everyone using the stack; put them back after the test. */
export async function configureIdentity(settings: Partial<IdentitySettings>): Promise<IdentitySettings> {
  return (await hook<{ settings: IdentitySettings }>('POST', '/configure', settings)).settings;
}

/**
 * A valid Outlook access token (IMAP.AccessAsUser.All SMTP.Send, production size),
 * minted directly, for tests that drive imapflow/nodemailer without MSAL.
 */
export async function issueAccessToken(
  email: string,
  opts: { lifetimeSeconds?: number; permissions?: string[]; resource?: string; clientId?: string } = {},
): Promise<string> {
  return (await hook<{ access_token: string }>('POST', '/access-token', { email, ...opts })).access_token;
}

function httpsRequest(
  url: string,
  o: { method?: string; body?: string } = {},
): Promise<{ status: number; location?: string; body: string }> {
  const ca = fs.readFileSync(getStack().caPath);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: o.method ?? 'GET',
        ca,
        headers:
          o.body === undefined
            ? {}
            : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(o.body) },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location, body }));
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

function unescapeHtml(s: string) {
  return s
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

function pageText(html: string) {
  return html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 400);
}

/**
 * Goes through the stand-in's sign-in page as a browser would: GET the page, POST
 * the form with `email` and Accept (or Cancel when `consent: false`). Returns the
 * redirect URL the browser would follow next (code/state/client_info, or
 * error=access_denied), without following it. A page that does not redirect
 * (unknown app, bad redirect URI) throws with the page's text.
 */
export async function signIn(authorizeUrl: string, email: string, opts: { consent?: boolean } = {}): Promise<string> {
  const page = await httpsRequest(authorizeUrl);
  if (page.location) return page.location;
  const action = /<form method="post" action="([^"]+)"/.exec(page.body)?.[1];
  const ctx = /name="ctx" value="([^"]*)"/.exec(page.body)?.[1];
  if (!action || ctx === undefined) throw new Error(`no sign-in form (HTTP ${page.status}): ${pageText(page.body)}`);
  const form = new URLSearchParams({
    ctx: unescapeHtml(ctx),
    login: email,
    action: opts.consent === false ? 'cancel' : 'accept',
  });
  const posted = await httpsRequest(new URL(unescapeHtml(action), authorizeUrl).toString(), {
    method: 'POST',
    body: form.toString(),
  });
  if (!posted.location)
    throw new Error(`sign-in as ${email} did not redirect (HTTP ${posted.status}): ${pageText(posted.body)}`);
  return posted.location;
}

/** How the stand-in sends the browser back to the app: a redirect (query mode) or an auto-posting form (form_post). */
export interface SignInReturn {
  method: 'GET' | 'POST';
  /** The redirect URI, with the result in its query for GET. */
  url: string;
  /** The result (code, state, client_info, or error…): the form's fields for POST, the query for GET. */
  fields: Record<string, string>;
}

/** Parses the stand-in's (and Microsoft's) form_post page: one form, hidden inputs. */
function formPostOf(html: string): { action: string; fields: Record<string, string> } | null {
  const action = /<form method="POST" action="([^"]+)"/i.exec(html)?.[1];
  if (!action) return null;
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
    fields[unescapeHtml(m[1])] = unescapeHtml(m[2]);
  return { action: unescapeHtml(action), fields };
}

/**
 * Like signIn, for either response mode: where the browser goes next and with what. With form_post the stand-in
 * answers the sign-in with a page that posts the result to the app, as Microsoft's does.
 */
export async function signInReturn(
  authorizeUrl: string,
  email: string,
  opts: { consent?: boolean } = {},
): Promise<SignInReturn> {
  const page = await httpsRequest(authorizeUrl);
  let answer = page;
  if (!page.location) {
    const action = /<form method="post" action="([^"]+)"/.exec(page.body)?.[1];
    const ctx = /name="ctx" value="([^"]*)"/.exec(page.body)?.[1];
    if (!action || ctx === undefined) throw new Error(`no sign-in form (HTTP ${page.status}): ${pageText(page.body)}`);
    const form = new URLSearchParams({
      ctx: unescapeHtml(ctx),
      login: email,
      action: opts.consent === false ? 'cancel' : 'accept',
    });
    answer = await httpsRequest(new URL(unescapeHtml(action), authorizeUrl).toString(), {
      method: 'POST',
      body: form.toString(),
    });
  }
  if (answer.location) {
    const url = new URL(answer.location);
    return { method: 'GET', url: answer.location, fields: Object.fromEntries(url.searchParams) };
  }
  const posted = formPostOf(answer.body);
  if (!posted)
    throw new Error(`sign-in as ${email} did not return to the app (HTTP ${answer.status}): ${pageText(answer.body)}`);
  return { method: 'POST', url: posted.action, fields: posted.fields };
}

export interface OutgoingMessage {
  from?: string;
  to: string | string[];
  cc?: string | string[];
  subject?: string;
  text?: string;
  html?: string;
  headers?: Record<string, string>;
  messageId?: string;
  inReplyTo?: string;
  references?: string | string[];
  date?: Date;
  attachments?: { filename?: string; content: string | Buffer; contentType?: string; cid?: string }[];
}

function maildirHasMessageId(email: string, messageId: string) {
  const root = path.join(getStack().stateDir, 'mail', email.toLowerCase(), 'Maildir');
  for (const sub of ['new', 'cur']) {
    let files: string[];
    try {
      files = fs.readdirSync(path.join(root, sub));
    } catch {
      continue;
    }
    for (const f of files) {
      const head = fs.readFileSync(path.join(root, sub, f), 'utf8').split(/\r?\n\r?\n/, 1)[0];
      if (head.toLowerCase().includes(messageId.toLowerCase())) return true;
    }
  }
  return false;
}

/**
 * Delivers "incoming mail" through Postfix's inbound port, the way mail from the
 * internet arrives: `@example.test` recipients get it in their Inbox via LMTP. By
 * default waits until every local recipient's Inbox holds it. Returns the Message-ID.
 */
export async function deliver(
  message: OutgoingMessage | string | Buffer,
  opts: { envelope?: { from: string; to: string[] }; wait?: boolean } = {},
): Promise<string> {
  const stack = getStack();
  const transport = nodemailer.createTransport({
    host: stack.smtpInbound.host,
    port: stack.smtpInbound.port,
    secure: false,
    tls: { ca: fs.readFileSync(stack.caPath) },
  });
  let messageId: string;
  let recipients: string[];
  try {
    if (typeof message === 'string' || Buffer.isBuffer(message)) {
      const parsed = await simpleParser(message);
      messageId = parsed.messageId || '';
      const addresses = [parsed.to, parsed.cc, parsed.bcc]
        .flat()
        .flatMap((a) => (a ? a.value.map((v) => v.address || '') : []))
        .filter(Boolean);
      const envelope = opts.envelope ?? { from: parsed.from?.value[0]?.address || 'sender@example.net', to: addresses };
      recipients = envelope.to;
      await transport.sendMail({ envelope, raw: message });
    } else {
      messageId = message.messageId || `<${randomUUID()}@mailstack.example.net>`;
      const info = await transport.sendMail({ from: 'Sender <sender@example.net>', ...message, messageId });
      recipients = [...info.accepted].map(String);
    }
  } finally {
    transport.close();
  }
  const local = recipients.filter((r) => /@example\.test$/i.test(r));
  if (opts.wait !== false && messageId && local.length) {
    const deadline = Date.now() + 10_000;
    while (!local.every((r) => maildirHasMessageId(r, messageId))) {
      if (Date.now() > deadline)
        throw new Error(
          `message ${messageId} did not reach ${local.join(', ')} within 10 s (see ${postfixPaths(stack.stateDir).log})`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return messageId;
}

/** Writes a realistic mailbox in one go (`doveadm import`): see seed.ts for what it contains. */
export async function seedMailbox(email: string, opts: SeedOptions = {}): Promise<SeedResult> {
  return seedWithDoveadm(getStack(), email, opts);
}

export interface SinkMessage {
  file: string;
  /** Envelope recipient (X-Original-To added by Postfix's pipe). */
  envelopeTo: string;
  /** Envelope sender (Return-Path). */
  envelopeFrom: string;
  raw: Buffer;
  parsed: ParsedMail;
}

/** Mail that left for addresses outside `@example.test`, oldest first; filter by envelope recipient. */
export async function readSink(filter: { to?: string } = {}): Promise<SinkMessage[]> {
  const dir = postfixPaths(getStack().stateDir).sinkDir;
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.eml') && !f.startsWith('.'))
        .sort()
    : [];
  const out: SinkMessage[] = [];
  for (const f of files) {
    const raw = fs.readFileSync(path.join(dir, f));
    const head = raw.subarray(0, 2048).toString('utf8');
    const envelopeTo = (/^X-Original-To:\s*<?([^>\r\n]*)>?/im.exec(head)?.[1] || '').trim();
    if (filter.to && envelopeTo.toLowerCase() !== filter.to.toLowerCase()) continue;
    const envelopeFrom = (/^Return-Path:\s*<([^>]*)>/im.exec(head)?.[1] || '').trim();
    out.push({ file: f, envelopeTo, envelopeFrom, raw, parsed: await simpleParser(raw) });
  }
  return out;
}
