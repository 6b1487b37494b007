/**
 * Inline checks of the settings form, mirroring what the server accepts (src/server/providers/microsoft/settings.ts
 * and settings-service.ts) so a typo is flagged at the field before saving. Each returns an i18n key or null.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

import { k } from '../../locale';

const blank = (v: unknown) => v === undefined || v === null || String(v).trim() === '';

export function clientIdProblem(value: unknown, cloud: string | undefined): string | null {
  if (blank(value)) return null;
  const id = String(value).trim();
  if (/\s/.test(id)) return k('The Client ID must not contain spaces.');
  if (cloud !== 'custom' && !GUID.test(id))
    return k(
      "The Client ID is a GUID like 11111111-2222-3333-4444-555555555555 (the Application (client) ID on the app's Overview page).",
    );
  return null;
}

export function secretProblem(value: unknown): string | null {
  if (blank(value)) return null;
  if (GUID.test(String(value).trim())) return k("This looks like the secret's ID. Paste the secret's Value instead.");
  return null;
}

export function tenantProblem(value: unknown): string | null {
  if (blank(value)) return null;
  const raw = String(value).trim();
  if (['common', 'organizations', 'consumers'].includes(raw.toLowerCase()) || GUID.test(raw) || DOMAIN.test(raw))
    return null;
  return k('Use common, organizations, consumers, your Directory (tenant) ID or a verified domain.');
}

export function hostProblem(value: unknown): string | null {
  if (blank(value)) return null;
  return HOST.test(String(value).trim())
    ? null
    : k('Enter a host name such as outlook.office365.com, without "https://" or a port.');
}

export function authorityHostProblem(value: unknown): string | null {
  if (blank(value)) return k('A custom cloud needs its sign-in host.');
  const raw = String(value)
    .trim()
    .toLowerCase()
    .replace(/^https:\/\//, '')
    .replace(/\/+$/, '');
  const [host, port, ...rest] = raw.split(':');
  const portOk = port === undefined || (/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535);
  return !rest.length && HOST.test(host) && portOk
    ? null
    : k('Enter a host such as login.microsoftonline.com, optionally with ":port", without a path.');
}

export function publicUrlProblem(value: unknown): string | null {
  if (blank(value)) return null;
  try {
    const url = new URL(String(value).trim());
    return url.protocol === 'http:' || url.protocol === 'https:'
      ? null
      : k('Enter the address users open the app at, starting with https://.');
  } catch {
    return k('Enter the address users open the app at, starting with https://.');
  }
}
