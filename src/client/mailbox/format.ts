import dayjs from 'dayjs';
import type { MailAddress } from '../../shared/mail-reading-types';

/** List dates as mail clients show them: the time today, the day this year, the full date before. */
export function listDate(iso: string | null, now = dayjs()): string {
  if (!iso) return '';
  const d = dayjs(iso);
  if (d.isSame(now, 'day')) return d.format('HH:mm');
  if (d.isSame(now, 'year')) return d.format('MMM D');
  return d.format('YYYY-MM-DD');
}

export function fullDate(iso: string | null): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '';
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function addressName(a: MailAddress): string {
  return a.name || a.address;
}

export function addressFull(a: MailAddress): string {
  return a.name ? `${a.name} <${a.address}>` : a.address;
}

export function addressList(list: MailAddress[]): string {
  return list.map(addressFull).join(', ');
}

/** Recipients a header shows before "and N more". */
export const RECIPIENTS_SHOWN = 5;

/** The first few addresses, and how many more the message has (its total may exceed the list that came with it). */
export function firstFew(
  list: MailAddress[],
  total: number,
  few = RECIPIENTS_SHOWN,
): { shown: MailAddress[]; more: number } {
  const shown = list.slice(0, few);
  return { shown, more: Math.max(total, list.length) - shown.length };
}
