import addressparser from 'nodemailer/lib/addressparser';
import type { MailAddress } from '../../shared/mail-reading-types';
import { cleanHeaderText } from './header-text';

export interface ParsedAddressList {
  addresses: MailAddress[];
  /** Entries that are not a usable address, as the user typed them. */
  invalid: string[];
}

/**
 * RFC 5322 §3.4.1 addr-spec with a dot-atom local part, where RFC 6532 §3.2 lets atext include any non-ASCII
 * UTF-8 character. Quoted local parts and address literals (`user@[10.0.0.1]`) are refused: no mailbox a user
 * sends to from Outlook has one, and they are a favourite of header tricks.
 */
const ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~\\-\\u0080-\\uFFFF";
const LOCAL = new RegExp(`^[${ATEXT}]+(?:\\.[${ATEXT}]+)*$`, 'u');
/** A host name (RFC 1035 labels, or IDN labels in Unicode per RFC 6532) with at least two labels. */
const LABEL = /^(?!-)[A-Za-z0-9\u0080-\uFFFF-]{1,63}(?<!-)$/u;

/** True for an addr-spec a message can be sent to. */
export function isValidAddress(address: string): boolean {
  if (address.length > 254) return false;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return false;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (Buffer.byteLength(local) > 64 || !LOCAL.test(local)) return false;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return false;
  // A top-level domain is never all digits (RFC 3696 §2): "a@1.2" is a typo, not a host.
  return !/^\d+$/.test(labels[labels.length - 1]);
}

type Entry = string | { name?: unknown; address?: unknown };

/** Control characters in a raw entry mean a pasted header block or an injection attempt, never an address. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function fromString(raw: string, out: ParsedAddressList): void {
  if (!raw.trim()) return;
  if (CONTROL.test(raw)) {
    out.invalid.push(raw.replace(/[\r\n]+/g, ' ').trim());
    return;
  }
  const add = (list: addressparser.AddressOrGroup[]) => {
    for (const item of list) {
      if ('group' in item) {
        // "undisclosed-recipients:;" (RFC 5322 §3.4) is an empty group; a group name holding "@" is a mangled address.
        if (item.name.includes('@')) out.invalid.push(item.name);
        add(item.group);
        continue;
      }
      const address = item.address.trim();
      if (!isValidAddress(address)) {
        out.invalid.push(item.address || item.name || raw);
        continue;
      }
      out.addresses.push({ name: cleanHeaderText(item.name), address });
    }
  };
  add(addressparser(raw));
}

/** Parses one address field as the composer sends it. Duplicates (same address, any case) are kept once. */
export function parseAddressList(input: unknown): ParsedAddressList {
  const out: ParsedAddressList = { addresses: [], invalid: [] };
  if (input === undefined || input === null || input === '') return out;
  const entries: Entry[] = Array.isArray(input) ? (input as Entry[]) : [input as Entry];
  for (const entry of entries) {
    if (typeof entry === 'string') {
      fromString(entry, out);
    } else if (entry && typeof entry === 'object' && typeof entry.address === 'string') {
      const address = entry.address.trim();
      if (CONTROL.test(entry.address) || !isValidAddress(address))
        out.invalid.push(entry.address.replace(/[\r\n]+/g, ' ').trim());
      else out.addresses.push({ name: cleanHeaderText(typeof entry.name === 'string' ? entry.name : ''), address });
    } else {
      out.invalid.push(JSON.stringify(entry) ?? String(entry));
    }
  }
  out.addresses = uniqueAddresses(out.addresses);
  return out;
}

export function addressKey(address: string): string {
  return address.trim().toLowerCase();
}

/** First occurrence of every address wins; `exclude` drops addresses outright (the user's own, earlier fields). */
export function uniqueAddresses(list: MailAddress[], exclude: Iterable<string> = []): MailAddress[] {
  const seen = new Set([...exclude].map(addressKey));
  const out: MailAddress[] = [];
  for (const a of list) {
    const key = addressKey(a.address);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out;
}
