/**
 * The text/plain alternative (RFC 2046 §5.1.4) of an outgoing HTML body, for clients and filters that read only
 * text: paragraphs and line breaks kept, lists as "- ", links as "text (url)", quoted blocks as "> " lines
 * (the convention of RFC 3676 §4.5). Works on already sanitised HTML.
 */

const BLOCK = new Set([
  'p',
  'div',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'table',
  'tr',
  'pre',
  'hr',
  'section',
  'article',
  'header',
  'footer',
  'address',
  'dl',
  'dt',
  'dd',
  'center',
  'figure',
  'caption',
]);
const PARAGRAPH = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'table', 'pre']);
const SKIP = new Set(['style', 'script', 'head', 'title', 'template']);

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  copy: '©',
  reg: '®',
  hellip: '…',
  mdash: '—',
  ndash: '–',
};

function decode(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (m, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref.toLowerCase()] ?? m;
    const code = ref[1].toLowerCase() === 'x' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? decode(m[1] ?? m[2] ?? m[3] ?? '') : null;
}

export function htmlToText(html: string): string {
  const lines: Array<{ depth: number; text: string }> = [];
  let current = '';
  let depth = 0;
  let lineDepth = 0;
  let skip = 0;
  let pre = 0;
  const links: Array<{ href: string | null; start: number }> = [];
  const lists: Array<{ ordered: boolean; n: number }> = [];

  const breakLine = () => {
    lines.push({ depth: lineDepth, text: current.replace(/[ \t]+$/g, '') });
    current = '';
    lineDepth = depth;
  };
  const ensureBreak = (blank = false) => {
    if (current.trim()) breakLine();
    else {
      current = '';
      lineDepth = depth;
    }
    if (blank && lines.length && lines[lines.length - 1].text !== '') lines.push({ depth: lineDepth, text: '' });
  };

  for (const m of html.matchAll(/<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|([^<]+)/g)) {
    const [, closing, rawName, , text] = m;
    if (text !== undefined) {
      if (skip) continue;
      const decoded = decode(text);
      if (pre) {
        const parts = decoded.split('\n');
        parts.forEach((p, i) => {
          if (i > 0) breakLine();
          current += p;
        });
      } else {
        const flat = decoded.replace(/\s+/g, ' ');
        current += current === '' || current.endsWith(' ') ? flat.replace(/^ /, '') : flat;
      }
      continue;
    }
    if (!rawName) continue;
    const name = rawName.toLowerCase();
    if (SKIP.has(name)) {
      skip += closing ? -1 : 1;
      if (skip < 0) skip = 0;
      continue;
    }
    if (skip) continue;
    if (name === 'br') {
      breakLine();
    } else if (name === 'blockquote') {
      ensureBreak();
      depth += closing ? -1 : 1;
      if (depth < 0) depth = 0;
      lineDepth = depth;
    } else if (name === 'li' && !closing) {
      ensureBreak();
      const list = lists[lists.length - 1];
      current += list?.ordered ? `${++list.n}. ` : '- ';
    } else if ((name === 'ul' || name === 'ol') && !closing) {
      ensureBreak(lists.length === 0);
      lists.push({ ordered: name === 'ol', n: Number(attr(m[0], 'start') ?? 1) - 1 });
    } else if ((name === 'ul' || name === 'ol') && closing) {
      lists.pop();
      ensureBreak(lists.length === 0);
    } else if (name === 'pre') {
      ensureBreak(true);
      pre += closing ? -1 : 1;
    } else if (name === 'a') {
      if (!closing) links.push({ href: attr(m[0], 'href'), start: current.length });
      else {
        const link = links.pop();
        const label = link ? current.slice(link.start).trim() : '';
        const href = link?.href;
        if (href && /^https?:/i.test(href) && href !== label && `${href}/` !== label) current += ` (${href})`;
      }
    } else if (name === 'img' && !closing) {
      const alt = attr(m[0], 'alt');
      if (alt) current += `[${alt}]`;
    } else if ((name === 'td' || name === 'th') && !closing) {
      if (current.trim()) current += '\t';
    } else if (name === 'hr') {
      ensureBreak();
      current = '----';
      breakLine();
    } else if (BLOCK.has(name)) {
      ensureBreak(PARAGRAPH.has(name));
    }
  }
  ensureBreak();

  // Blank lines: one at most in a row, none at the ends, none right before the quote depth changes.
  const kept: typeof lines = [];
  for (const [i, line] of lines.entries()) {
    if (line.text !== '') {
      kept.push(line);
      continue;
    }
    const next = lines.slice(i + 1).find((l) => l.text !== '');
    const last = kept[kept.length - 1];
    if (last && last.text !== '' && next && next.depth === line.depth) kept.push(line);
  }
  const out = kept.map((line) =>
    `${line.depth > 0 ? `${'>'.repeat(line.depth)}${line.text ? ' ' : ''}` : ''}${line.text}`.replace(/\s+$/, ''),
  );
  return out.join('\n');
}
