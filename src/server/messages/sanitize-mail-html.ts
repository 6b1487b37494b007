import sanitizeHtml from 'sanitize-html';
import { CidResolver, CleanCss, cleanStyleAttribute, cleanStyleSheet } from './sanitize-css';

export interface SanitizedHtml {
  html: string;
  /** Remote images or styles were disabled; the client may offer "show images". */
  hasRemoteContent: boolean;
}

/** Stands in for a cleaned `<style>` block while the markup is sanitised. */
const STYLE_PLACEHOLDER = 'mailbridge-style';

/** Formatting mail needs; nothing that runs, submits, embeds or navigates by itself. */
const ALLOWED_TAGS = [
  'a',
  'abbr',
  'acronym',
  'address',
  'article',
  'aside',
  'b',
  'bdi',
  'bdo',
  'big',
  'blockquote',
  'br',
  'caption',
  'center',
  'cite',
  'code',
  'col',
  'colgroup',
  'dd',
  'del',
  'details',
  'dfn',
  'div',
  'dl',
  'dt',
  'em',
  'figcaption',
  'figure',
  'font',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'i',
  'img',
  'ins',
  'kbd',
  'li',
  'main',
  'mark',
  'nav',
  'ol',
  'p',
  'pre',
  'q',
  's',
  'samp',
  'section',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'summary',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'time',
  'tr',
  'tt',
  'u',
  'ul',
  'var',
  'wbr',
  STYLE_PLACEHOLDER,
];

const LAYOUT_ATTRIBUTES = [
  'align',
  'valign',
  'width',
  'height',
  'border',
  'bgcolor',
  'color',
  'dir',
  'lang',
  'title',
  'class',
  'id',
  'style',
  'data-remote-style',
  'data-remote-background',
];

const ALLOWED_ATTRIBUTES: sanitizeHtml.IOptions['allowedAttributes'] = {
  '*': LAYOUT_ATTRIBUTES,
  a: ['href', 'name', 'target', 'rel'],
  img: ['src', 'alt', 'width', 'height', 'data-remote-src', 'data-remote-srcset', 'data-attachment-part'],
  font: ['face', 'size', 'color'],
  table: ['cellpadding', 'cellspacing', 'summary', 'frame', 'rules'],
  td: ['colspan', 'rowspan', 'nowrap', 'headers', 'scope', 'abbr'],
  th: ['colspan', 'rowspan', 'nowrap', 'headers', 'scope', 'abbr'],
  col: ['span'],
  colgroup: ['span'],
  ol: ['start', 'type', 'reversed'],
  ul: ['type'],
  li: ['value'],
  time: ['datetime'],
  [STYLE_PLACEHOLDER]: ['data-i'],
};

const INLINE_IMAGE = /^data:image\/(png|jpe?g|gif|webp|bmp);base64,[a-z0-9+/=\s]+$/i;

function escapeAttribute(value: string): string {
  return value.replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c] as string);
}

function isRemote(u: string): boolean {
  return /^(https?:)?\/\//i.test(u.trim());
}

function absolute(u: string): string {
  const t = u.trim();
  return t.startsWith('//') ? `https:${t}` : t;
}

/** `srcset` candidates are "url descriptor" pairs separated by commas. */
function remoteSrcset(value: string): string | null {
  const candidates = value
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  if (!candidates.length || !candidates.every((c) => isRemote(c.split(/\s+/)[0]))) return null;
  return candidates
    .map((c) => {
      const [u, ...rest] = c.split(/\s+/);
      return [absolute(u), ...rest].join(' ');
    })
    .join(', ');
}

/**
 * Sanitises HTML mail for display in a sandboxed frame. Runs after charset decoding (a UTF-7 part only turns into
 * markup once decoded). Removes scripts, event handlers, `javascript:`/`data:` links, forms, frames, objects,
 * `<base>`, `<meta>` refresh, SVG and MathML; remote images and CSS `url()`s are moved to `data-remote-*`
 * attributes the client restores on "show images"; `cid:` images point at the attachment endpoint.
 */
export function sanitizeMailHtml(input: string, resolveCid: CidResolver): SanitizedHtml {
  let hasRemoteContent = false;
  const sheets: CleanCss[] = [];

  // <style> blocks are CSS, not markup: clean them apart and put them back through a placeholder element, so the
  // sanitiser never passes raw style text through.
  const withPlaceholders = input.replace(/<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi, (_all, css: string) => {
    const cleaned = cleanStyleSheet(css, resolveCid);
    hasRemoteContent ||= cleaned.withRemote !== null;
    if (!cleaned.css.trim() && !cleaned.withRemote) return '';
    sheets.push(cleaned);
    return `<${STYLE_PLACEHOLDER} data-i="${sheets.length - 1}"></${STYLE_PLACEHOLDER}>`;
  });

  const transform: sanitizeHtml.Transformer = (tagName, attribs) => {
    const out: Record<string, string> = {};
    // data-remote-* are the sanitiser's own, written below from what it cleaned; a sender's would be restored as is.
    for (const [name, value] of Object.entries(attribs)) if (!name.startsWith('data-remote-')) out[name] = value;
    if (out.style !== undefined) {
      const cleaned = cleanStyleAttribute(out.style, resolveCid);
      if (cleaned.css) out.style = cleaned.css;
      else delete out.style;
      if (cleaned.withRemote) {
        out['data-remote-style'] = cleaned.withRemote;
        hasRemoteContent = true;
      }
    }
    delete out['data-attachment-part'];
    if (out.background !== undefined) {
      if (isRemote(out.background)) {
        out['data-remote-background'] = absolute(out.background);
        hasRemoteContent = true;
      }
      delete out.background;
    }

    if (tagName === 'img') {
      const src = (out.src ?? '').trim();
      delete out.src;
      if (/^cid:/i.test(src)) {
        const resolved = resolveCid(src.slice(4));
        if (resolved) out.src = resolved;
      } else if (INLINE_IMAGE.test(src)) {
        out.src = src.replace(/\s/g, '');
      } else if (isRemote(src)) {
        out['data-remote-src'] = absolute(src);
        hasRemoteContent = true;
      }
      if (out.srcset !== undefined) {
        const remote = remoteSrcset(out.srcset);
        if (remote) {
          out['data-remote-srcset'] = remote;
          hasRemoteContent = true;
        }
        delete out.srcset;
      }
    }
    if (tagName === 'a') {
      // Every link leaves the frame in a new tab, without telling the target who linked it.
      out.target = '_blank';
      out.rel = 'noopener noreferrer nofollow';
    }
    return { tagName, attribs: out };
  };

  const html = sanitizeHtml(withPlaceholders, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    // Only these schemes survive in href/src; everything else (javascript:, data:, vbscript:, file:) is removed.
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    // Elements whose content must disappear with them, not turn into visible text.
    nonTextTags: [
      'script',
      'style',
      'textarea',
      'select',
      'option',
      'noscript',
      'title',
      'head',
      'template',
      'svg',
      'math',
      'object',
      'embed',
      'applet',
      'iframe',
      'frame',
      'frameset',
      'noembed',
      'noframes',
      'xml',
    ],
    disallowedTagsMode: 'discard',
    transformTags: { '*': transform },
    parseStyleAttributes: false,
  });

  // The remote version of a sheet rides along in `data-remote-sheet`; "Show images" swaps it in (mail-frame.ts).
  const restored = html.replace(
    new RegExp(`<${STYLE_PLACEHOLDER} data-i="(\\d+)"></${STYLE_PLACEHOLDER}>`, 'g'),
    (_all, i: string) => {
      const sheet = sheets[Number(i)];
      if (!sheet) return '';
      const remote = sheet.withRemote === null ? '' : ` data-remote-sheet="${escapeAttribute(sheet.withRemote)}"`;
      return `<style${remote}>${sheet.css}</style>`;
    },
  );
  return { html: restored, hasRemoteContent };
}
