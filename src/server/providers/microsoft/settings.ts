import { MicrosoftCloud } from '../../../shared/providers/microsoft';
import { invalidInput } from '../../errors/mail-error';
import type { MailSettingsRecord } from '../../settings/settings-types';
import type { MailEndpoints, ProviderSettingsAdapter } from '../types';
import { baseProfile, isMicrosoftCloud } from './clouds';

/** The settings row as this provider reads it: the general settings plus its own columns (`columns` below). */
export interface MicrosoftSettings extends MailSettingsRecord {
  clientId: string | null;
  /** Plain text; only ever held in memory. */
  clientSecret: string | null;
  tenant: string;
  cloud: string;
  authorityHost: string | null;
  imapHost: string | null;
  imapPort: number | null;
  smtpHost: string | null;
  smtpPort: number | null;
  /**
   * For the custom cloud only: the hand-entered SMTP server does not file its own copy of sent mail in Sent, so
   * the plugin appends one. Microsoft's clouds always file it (`MICROSOFT_CLOUDS`).
   */
  appendSentCopy: boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHARED_TENANTS = new Set(['common', 'organizations', 'consumers']);
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function has(input: Record<string, unknown>, key: string) {
  return Object.prototype.hasOwnProperty.call(input, key) && input[key] !== undefined;
}

function text(input: Record<string, unknown>, key: string): string {
  const v = input[key];
  if (v === null) return '';
  if (typeof v !== 'string' && typeof v !== 'number') throw invalidInput(`${key} must be text.`);
  return String(v).trim();
}

function port(input: Record<string, unknown>, key: string, label: string): number | null {
  const raw = text(input, key);
  if (raw === '') return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw invalidInput(`${label} must be a port number between 1 and 65535.`);
  return n;
}

function hostName(input: Record<string, unknown>, key: string, label: string): string | null {
  const raw = text(input, key).toLowerCase();
  if (raw === '') return null;
  if (!HOST.test(raw))
    throw invalidInput(`${label} must be a host name such as outlook.office365.com, without "https://" or a port.`);
  return raw;
}

/** `host` or `host:port`; MSAL accepts only https authorities, so a scheme other than https is an error. */
function authorityHost(input: Record<string, unknown>): string | null {
  let raw = text(input, 'authorityHost').toLowerCase().replace(/\/+$/, '');
  if (raw === '') return null;
  if (raw.startsWith('http://')) throw invalidInput('The authority host must use https; enter it without "http://".');
  raw = raw.replace(/^https:\/\//, '');
  const [host, p, ...rest] = raw.split(':');
  const portOk = p === undefined || (/^\d{1,5}$/.test(p) && Number(p) >= 1 && Number(p) <= 65535);
  if (rest.length || !HOST.test(host) || !portOk) {
    throw invalidInput(
      'The authority host must look like login.microsoftonline.com (optionally with ":port"), without a path.',
    );
  }
  return raw;
}

function tenant(input: Record<string, unknown>): string {
  const raw = text(input, 'tenant');
  if (raw === '') return 'common';
  const lower = raw.toLowerCase();
  if (SHARED_TENANTS.has(lower) || GUID.test(raw) || DOMAIN.test(raw)) return lower;
  throw invalidInput(
    'Tenant must be "common", "organizations", "consumers", your Directory (tenant) ID, or a verified domain such as contoso.onmicrosoft.com.',
  );
}

/** Maps a value equal to the cloud default to null, so the row keeps following the cloud. */
function unlessDefault<T>(value: T | null, fallback: T): T | null {
  return value === fallback ? null : value;
}

export function effectiveEndpoints(s: MicrosoftSettings) {
  const base = baseProfile(s.cloud);
  return {
    authorityHost: (s.cloud === MicrosoftCloud.custom && s.authorityHost) || base.authorityHost,
    outlookResource: base.outlookResource,
    imap: { host: s.imapHost || base.imap.host, port: s.imapPort || base.imap.port },
    smtp: { host: s.smtpHost || base.smtp.host, port: s.smtpPort || base.smtp.port },
  };
}

/** Exchange Online answers 535 5.7.139 when SMTP AUTH is off for the mailbox or the whole tenant. */
const SMTP_AUTH_FIX =
  'A Microsoft 365 administrator must enable "Authenticated SMTP" for this mailbox (Microsoft 365 admin center → Users → Active users → the user → Mail → Manage email apps), or for the organisation.';

/** Exchange Online's sending limit: 30 messages a minute per mailbox (Exchange Online limits, "Sending limits"). */
const EXCHANGE_MESSAGES_PER_MINUTE = 30;

/** Where IMAP and SMTP are for these settings, how they speak TLS, who files the Sent copy, and the sending rate. */
export function mailEndpoints(s: MicrosoftSettings): MailEndpoints {
  const base = baseProfile(s.cloud);
  const e = effectiveEndpoints(s);
  const custom = s.cloud === MicrosoftCloud.custom;
  return {
    imap: { ...e.imap, tls: base.imap.tls },
    smtp: {
      ...e.smtp,
      tls: base.smtp.tls,
      savesSentCopy: custom ? !s.appendSentCopy : base.smtp.savesSentCopy,
      authDisabledFix: SMTP_AUTH_FIX,
      messagesPerMinute: EXCHANGE_MESSAGES_PER_MINUTE,
    },
  };
}

/**
 * The settings the client secret and the users' access tokens are sent under, in words, where `next` differs from
 * `current`: the sign-in (secret) and the mail servers (every mailbox's token, at each IMAP and SMTP login).
 */
export function signInChanges(current: MicrosoftSettings, next: MicrosoftSettings): string[] {
  const changed: string[] = [];
  const [was, now] = [effectiveEndpoints(current), effectiveEndpoints(next)];
  if ((current.cloud || MicrosoftCloud.global) !== (next.cloud || MicrosoftCloud.global)) changed.push('the cloud');
  if (was.authorityHost !== now.authorityHost) changed.push('the sign-in host');
  if ((current.tenant || 'common') !== (next.tenant || 'common')) changed.push('the tenant');
  if ((current.clientId ?? '') !== (next.clientId ?? '')) changed.push('the Client ID');
  if (was.imap.host !== now.imap.host || was.imap.port !== now.imap.port) changed.push('the IMAP server');
  if (was.smtp.host !== now.smtp.host || was.smtp.port !== now.smtp.port) changed.push('the SMTP server');
  return changed;
}

export const microsoftSettings: ProviderSettingsAdapter = {
  // Host and port columns left null follow the selected cloud's defaults, so switching cloud leaves no stale hosts.
  columns: [
    { name: 'clientId', type: 'string' },
    { name: 'clientSecret', type: 'text', hidden: true },
    { name: 'tenant', type: 'string', defaultValue: 'common' },
    { name: 'cloud', type: 'string', defaultValue: MicrosoftCloud.global },
    { name: 'authorityHost', type: 'string' },
    { name: 'imapHost', type: 'string' },
    { name: 'imapPort', type: 'integer' },
    { name: 'smtpHost', type: 'string' },
    { name: 'smtpPort', type: 'integer' },
    { name: 'appendSentCopy', type: 'boolean', defaultValue: false },
  ],
  secretColumns: ['clientSecret'],
  fields: [
    'clientId',
    'clientSecret',
    'tenant',
    'cloud',
    'authorityHost',
    'imapHost',
    'imapPort',
    'smtpHost',
    'smtpPort',
    'appendSentCopy',
  ],
  missingCredentials: 'Enter the Client ID and the client secret, then test again.',

  normalize(input, current: MicrosoftSettings) {
    const out: Partial<MicrosoftSettings> = {};
    const cloud = has(input, 'cloud') ? text(input, 'cloud') || MicrosoftCloud.global : current.cloud;
    if (!isMicrosoftCloud(cloud)) {
      throw invalidInput(`Cloud must be one of: ${Object.values(MicrosoftCloud).join(', ')}.`);
    }
    out.cloud = cloud;
    const base = baseProfile(cloud);

    if (has(input, 'clientId')) {
      const id = text(input, 'clientId');
      if (id && /\s/.test(id)) throw invalidInput('The Client ID must not contain spaces.');
      if (id && cloud !== MicrosoftCloud.custom && !GUID.test(id)) {
        throw invalidInput(
          "The Client ID is the app's Application (client) ID, a GUID like 11111111-2222-3333-4444-555555555555, shown on its Overview page in Entra.",
        );
      }
      out.clientId = id || null;
    }
    if (has(input, 'clientSecret')) {
      const secret = text(input, 'clientSecret');
      // The portal shows a secret's ID (a GUID) next to its Value; pasting the ID is the classic mistake.
      if (GUID.test(secret)) {
        throw invalidInput(
          "This looks like the secret's ID. Copy the secret's Value column under Certificates & secrets instead (it is shown only once, right after creating the secret).",
        );
      }
      if (secret) out.clientSecret = secret;
    }
    if (has(input, 'tenant')) out.tenant = tenant(input);

    if (has(input, 'authorityHost')) out.authorityHost = authorityHost(input);
    if (cloud !== MicrosoftCloud.custom) out.authorityHost = null;
    if (has(input, 'imapHost'))
      out.imapHost = unlessDefault(hostName(input, 'imapHost', 'The IMAP host'), base.imap.host);
    if (has(input, 'imapPort')) out.imapPort = unlessDefault(port(input, 'imapPort', 'The IMAP port'), base.imap.port);
    if (has(input, 'smtpHost'))
      out.smtpHost = unlessDefault(hostName(input, 'smtpHost', 'The SMTP host'), base.smtp.host);
    if (has(input, 'smtpPort')) out.smtpPort = unlessDefault(port(input, 'smtpPort', 'The SMTP port'), base.smtp.port);
    if (has(input, 'appendSentCopy')) {
      if (typeof input.appendSentCopy !== 'boolean')
        throw invalidInput('"Store a copy in Sent" must be true or false.');
      out.appendSentCopy = input.appendSentCopy;
    }

    const next = { ...current, ...out };
    if (cloud === MicrosoftCloud.custom && !next.authorityHost) {
      throw invalidInput('A custom cloud needs its authority host (the sign-in host, e.g. login.example.com).');
    }
    const moved = signInChanges(current, next);
    if (moved.length && current.clientSecret && !out.clientSecret && next.clientId) {
      // The stored secret was entered for one app at one sign-in host, and every mailbox's token goes to the mail
      // servers saved with it: neither may follow an edited form elsewhere without the secret's owner.
      throw invalidInput(
        `You changed ${moved.join(', ')}: type the client secret again. The saved secret, and your users' sign-ins, are only ever sent to the servers they were saved with.`,
      );
    }
    return out;
  },

  view(s: MicrosoftSettings) {
    const e = effectiveEndpoints(s);
    return {
      clientId: s.clientId ?? '',
      tenant: s.tenant || 'common',
      cloud: s.cloud || MicrosoftCloud.global,
      authorityHost: e.authorityHost,
      imapHost: e.imap.host,
      imapPort: e.imap.port,
      smtpHost: e.smtp.host,
      smtpPort: e.smtp.port,
      appendSentCopy: s.appendSentCopy,
    };
  },

  isConfigured(s: MicrosoftSettings) {
    return !!s.clientId && !!s.clientSecret;
  },
};
