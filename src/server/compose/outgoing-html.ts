import sanitizeHtml from 'sanitize-html';

/**
 * Formatting a composer produces; nothing that runs, submits, embeds or navigates. The result is shown again in
 * the composer (outbox, drafts), so it must be safe to put in the app's page, not only in a recipient's client.
 */
const TAGS = [
  'a',
  'b',
  'blockquote',
  'br',
  'caption',
  'center',
  'code',
  'col',
  'colgroup',
  'dd',
  'del',
  'div',
  'dl',
  'dt',
  'em',
  'font',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'img',
  'ins',
  'li',
  'mark',
  'ol',
  'p',
  'pre',
  'q',
  's',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'tt',
  'u',
  'ul',
];

const LAYOUT = ['align', 'valign', 'width', 'height', 'border', 'bgcolor', 'color', 'dir', 'lang', 'title', 'style'];

const ATTRIBUTES: sanitizeHtml.IOptions['allowedAttributes'] = {
  '*': LAYOUT,
  a: ['href', 'name', 'target'],
  img: ['src', 'alt', 'width', 'height'],
  font: ['face', 'size', 'color'],
  blockquote: ['type', 'cite'],
  table: ['cellpadding', 'cellspacing'],
  td: ['colspan', 'rowspan', 'nowrap'],
  th: ['colspan', 'rowspan', 'nowrap'],
  ol: ['start', 'type'],
};

/** Pasted images arrive as data: URLs; only raster types, never SVG (which can carry script). */
const INLINE_IMAGE = /^data:image\/(png|jpe?g|gif|webp|bmp);base64,[a-z0-9+/=\s]+$/i;

/** CSS that could run or load something in the composer's page. */
const DANGEROUS_CSS = /expression\s*\(|javascript:|behavior\s*:|-moz-binding|@import/i;

/** Sanitises the user's HTML before it is stored and sent. */
export function sanitizeOutgoingHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: TAGS,
    allowedAttributes: ATTRIBUTES,
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['http', 'https', 'cid', 'data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
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
      'iframe',
      'frame',
      'frameset',
      'noembed',
      'noframes',
      'xml',
    ],
    disallowedTagsMode: 'discard',
    parseStyleAttributes: false,
    transformTags: {
      '*': (tagName, attribs) => {
        const out = { ...attribs };
        if (out.style !== undefined && DANGEROUS_CSS.test(out.style)) delete out.style;
        if (tagName === 'img' && out.src?.startsWith('data:') && !INLINE_IMAGE.test(out.src)) delete out.src;
        return { tagName, attribs: out };
      },
    },
  }).trim();
}

/** `mailMessages:attachment?filterByTk=<id>&part=<part>&inline=1`: how the reading side points at `cid:` images. */
const ATTACHMENT_URL = /mailMessages:attachment\?filterByTk=\d+&(?:amp;)?part=([^&"'\s]+)/;

/**
 * Turns a quoted message stored for display back into mail: images and styles the reader held back
 * (`data-remote-*`) get their remote addresses again (the recipient's client applies its own policy), and images
 * that pointed at the app's attachment endpoint become `cid:` references to parts carried in the message.
 * `cidForPart` returns null for a part that is not carried; such images keep only their alt text.
 */
export function quoteForSending(displayHtml: string, cidForPart: (part: string) => string | null): string {
  return sanitizeHtml(displayHtml, {
    allowedTags: [
      ...TAGS,
      'style',
      'article',
      'aside',
      'footer',
      'header',
      'main',
      'nav',
      'section',
      'figure',
      'figcaption',
      'abbr',
      'cite',
      'kbd',
      'samp',
      'var',
      'time',
      'wbr',
      'big',
    ],
    allowedAttributes: {
      ...ATTRIBUTES,
      '*': [...LAYOUT, 'class', 'id', 'background'],
      img: ['src', 'srcset', 'alt', 'width', 'height'],
      a: ['href', 'name', 'target', 'rel'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['http', 'https', 'cid', 'data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    allowVulnerableTags: true,
    disallowedTagsMode: 'discard',
    parseStyleAttributes: false,
    transformTags: {
      '*': (tagName, attribs) => {
        const out: Record<string, string> = { ...attribs };
        if (out['data-remote-style']) out.style = out['data-remote-style'];
        if (out['data-remote-background']) out.background = out['data-remote-background'];
        if (tagName === 'img') {
          if (out['data-remote-src'] && !out.src) out.src = out['data-remote-src'];
          if (out['data-remote-srcset']) out.srcset = out['data-remote-srcset'];
          const part = out.src ? ATTACHMENT_URL.exec(out.src)?.[1] : undefined;
          if (part !== undefined) {
            const cid = cidForPart(decodeURIComponent(part));
            if (cid) out.src = `cid:${cid}`;
            else delete out.src;
          }
        }
        for (const k of Object.keys(out)) if (k.startsWith('data-')) delete out[k];
        return { tagName, attribs: out };
      },
    },
  });
}

/** The parts a stored display body shows inline through the attachment endpoint. */
export function inlineParts(displayHtml: string): string[] {
  const parts = new Set<string>();
  const all = new RegExp(ATTACHMENT_URL.source, 'g');
  for (const m of displayHtml.matchAll(all)) parts.add(decodeURIComponent(m[1]));
  return [...parts];
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
