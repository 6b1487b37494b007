import { domainToUnicode } from 'node:url';

/** Longest address (RFC 5321 §4.5.3.1: 64-octet local part, 255-octet domain) a participant row keeps. */
export const MAX_ADDRESS_LENGTH = 320;

export interface NormalizedAddress {
  address: string;
  domain: string;
}

/**
 * Normalises a domain so its punycode (`xn--…`) and Unicode spellings compare equal: trimmed, lower case, no
 * trailing dot, IDN labels turned into Unicode. A name that is not a valid IDN stays as typed (lower-cased).
 */
export function normalizeDomain(raw: string): string {
  const domain = raw.trim().toLowerCase().replace(/\.+$/, '');
  if (!domain) return '';
  const unicode = domainToUnicode(domain);
  return (unicode || domain).toLowerCase();
}

/**
 * One address as the participants index stores and looks it up: trimmed, lower case, the domain as in
 * normalizeDomain. Plus-tags (`ann+news@…`) are kept: they are another address as far as the sender chose.
 * Returns null for text that is not an address (no `@`, an empty side, spaces inside).
 */
export function normalizeAddress(raw: unknown): NormalizedAddress | null {
  if (typeof raw !== 'string') return null;
  const trimmed = raw.trim().replace(/^<|>$/g, '');
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1 || /\s/.test(trimmed)) return null;
  const domain = normalizeDomain(trimmed.slice(at + 1));
  if (!domain) return null;
  const address = `${trimmed.slice(0, at).toLowerCase()}@${domain}`;
  if (address.length > MAX_ADDRESS_LENGTH) return null;
  return { address, domain };
}
