/**
 * The document a message's HTML is shown in. The HTML was sanitised on the server; here it is framed with a
 * Content-Security-Policy that lets nothing load except images the page already holds (data: URLs), until the user
 * chooses to show remote images: then the server's `data-remote-*` attributes are put back and https/http images
 * (and CSS backgrounds) may load. Scripts, frames, objects, forms, fonts and `<base>` stay off either way; the
 * iframe's sandbox (no allow-scripts, no allow-same-origin) is the second wall.
 */
const CSP_BLOCKED = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'";
const CSP_IMAGES =
  "default-src 'none'; img-src data: https: http:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'";

/** Attributes the server moved remote URLs into, and where each goes back. */
const REMOTE_ATTRIBUTES: Array<[string, string]> = [
  ['data-remote-src', 'src'],
  ['data-remote-srcset', 'srcset'],
  ['data-remote-background', 'background'],
  ['data-remote-style', 'style'],
];

const BASE_STYLE = `html,body{margin:0;padding:0}body{padding:16px;font:14px/1.5 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f1f1f;word-wrap:break-word;overflow-wrap:anywhere}img{max-width:100%;height:auto}pre{white-space:pre-wrap}blockquote{margin:0 0 0 8px;padding-left:12px;border-left:3px solid #d9d9d9;color:#555}a{color:#1677ff}`;

function escapeText(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

/** Plain-text mail as HTML: escaped, line breaks kept, addresses left as text. */
export function textToHtml(text: string): string {
  return `<pre style="font:inherit;margin:0">${escapeText(text)}</pre>`;
}

/**
 * Restores remote content in an inert copy of the markup (DOMParser neither runs scripts nor loads images), so the
 * sanitised HTML is only ever turned back into a string, never attached to the app's own document.
 */
export function withRemoteContent(html: string): string {
  const doc = new DOMParser().parseFromString(`<!doctype html><html><body>${html}</body></html>`, 'text/html');
  for (const [from, to] of REMOTE_ATTRIBUTES) {
    doc.querySelectorAll(`[${from}]`).forEach((el) => {
      el.setAttribute(to, el.getAttribute(from) ?? '');
      el.removeAttribute(from);
    });
  }
  // A `<style>` block's remote version, cleaned on the server like a style attribute, replaces its blocked one.
  doc.querySelectorAll('style[data-remote-sheet]').forEach((el) => {
    el.textContent = el.getAttribute('data-remote-sheet') ?? '';
    el.removeAttribute('data-remote-sheet');
  });
  return doc.body.innerHTML;
}

/** Inline (`cid:`) images: the server's attachment URLs swapped for data: URLs fetched with the user's session. */
export function withInlineImages(html: string, dataUrls: Map<string, string>): string {
  if (!dataUrls.size) return html;
  const doc = new DOMParser().parseFromString(`<!doctype html><html><body>${html}</body></html>`, 'text/html');
  doc.querySelectorAll('img[src]').forEach((img) => {
    const src = img.getAttribute('src') ?? '';
    const replacement = dataUrls.get(src);
    if (replacement) img.setAttribute('src', replacement);
  });
  return doc.body.innerHTML;
}

export function mailSrcdoc(bodyHtml: string, options: { showRemote: boolean }): string {
  const csp = options.showRemote ? CSP_IMAGES : CSP_BLOCKED;
  const body = options.showRemote ? withRemoteContent(bodyHtml) : bodyHtml;
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><meta name="referrer" content="no-referrer"><style>${BASE_STYLE}</style></head><body>${body}</body></html>`;
}

/** The part number of an inline image URL the server wrote for a `cid:` reference, or null. */
export function inlinePartOf(src: string): string | null {
  if (!/mailMessages:attachment\?/.test(src)) return null;
  try {
    return new URL(src, 'http://x/').searchParams.get('part');
  } catch {
    return null;
  }
}
