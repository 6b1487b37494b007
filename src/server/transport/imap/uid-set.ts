/**
 * UID sets as IMAP sequence-set strings (RFC 3501 §9 `sequence-set`). Dovecot rejects a command line over 64 KB,
 * which a plain list of ~14k UIDs exceeds: compress runs into ranges and split what is still too long.
 */

/** `[1,2,3,7,9,10]` → `1:3,7,9:10`. Input in any order, duplicates allowed. */
export function toSequenceSet(uids: Iterable<number>): string {
  const sorted = [...new Set(uids)].filter((n) => Number.isSafeInteger(n) && n > 0).sort((a, b) => a - b);
  const parts: string[] = [];
  let start = -1;
  let prev = -1;
  for (const n of sorted) {
    if (n === prev + 1) {
      prev = n;
      continue;
    }
    if (start > 0) parts.push(start === prev ? `${start}` : `${start}:${prev}`);
    start = prev = n;
  }
  if (start > 0) parts.push(start === prev ? `${start}` : `${start}:${prev}`);
  return parts.join(',');
}

/** Splits UIDs into sequence sets no longer than `maxLength` characters each. */
export function chunkSequenceSets(uids: Iterable<number>, maxLength = 16_000): string[] {
  const set = toSequenceSet(uids);
  if (!set) return [];
  const out: string[] = [];
  let current = '';
  for (const part of set.split(',')) {
    if (current && current.length + part.length + 1 > maxLength) {
      out.push(current);
      current = '';
    }
    current = current ? `${current},${part}` : part;
  }
  if (current) out.push(current);
  return out;
}

/**
 * Batches that start at `first` and double up to `max`: the first few messages are stored (and listed) quickly,
 * the rest in large batches, whose fixed costs (a FETCH round trip, a write, a progress update) are paid rarely.
 */
export function growingBatches<T>(items: T[], first: number, max: number): T[][] {
  const out: T[][] = [];
  let size = Math.max(1, Math.min(first, max));
  for (let i = 0; i < items.length; i += size, size = Math.min(max, size * 2)) out.push(items.slice(i, i + size));
  return out;
}
