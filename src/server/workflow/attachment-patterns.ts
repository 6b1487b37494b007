/** An attachment as the "Mail received" trigger lists it. */
export interface ListedAttachment {
  part: string;
  filename: string | null;
  contentType: string;
  size: number;
}

/** `*` any run of characters, `?` one; everything else literal, case-insensitive, the whole value. */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Comma-separated patterns (`*.pdf, invoice-*`); blank entries are dropped. */
export function parsePatterns(raw: unknown): RegExp[] {
  if (typeof raw !== 'string') return [];
  return raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map(globToRegExp);
}

function matchesAny(value: string, patterns: RegExp[]): boolean {
  return !patterns.length || patterns.some((p) => p.test(value));
}

/** The attachments whose name matches one of the name patterns and whose type one of the type patterns. */
export function pickAttachments(
  list: ListedAttachment[],
  options: { filename?: unknown; contentType?: unknown },
): ListedAttachment[] {
  const names = parsePatterns(options.filename);
  const types = parsePatterns(options.contentType);
  return list.filter((a) => matchesAny(a.filename ?? '', names) && matchesAny(a.contentType ?? '', types));
}
