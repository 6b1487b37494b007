/**
 * What in a parsed HTML document (parse5: the HTML standard's parser, as a browser reads the markup) could run
 * script, navigate, submit, embed or load something remote by itself. An empty list means the markup is inert in a
 * frame without scripts; remote images parked in `data-remote-*` attributes do not count, they load only when the
 * user asks.
 */
type Node = {
  nodeName: string;
  tagName?: string;
  attrs?: Array<{ name: string; value: string }>;
  childNodes?: Node[];
  content?: Node;
  value?: string;
};

const ACTIVE_ELEMENTS = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'input',
  'button',
  'select',
  'textarea',
  'meta',
  'base',
  'link',
  'svg',
  'math',
  'isindex',
  'template',
  'portal',
  'audio',
  'video',
  'source',
  'track',
]);
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'background',
  'poster',
  'srcset',
  'lowsrc',
  'dynsrc',
  'cite',
  'longdesc',
  'data',
]);
// A relative link (no scheme) only navigates within the frame's own document or nowhere: not executable.
const SAFE_URL = /^(https?:|mailto:|tel:|#|[^:]*$|[^:]*[/?#])/i;
const ATTACHMENT_URL = /^\/[^/]*mailMessages:attachment\?/;
const INLINE_RASTER = /^data:image\/(png|jpe?g|gif|webp|bmp);base64,/i;
// The attachment endpoint is the one URL styles and images may point to (inline cid: images).
const DANGEROUS_CSS =
  /expression\s*\(|javascript:|vbscript:|behavior\s*:|-moz-binding|@import|url\s*\((?!\s*['"]?\/[^/]*mailMessages:attachment)/i;

function normalise(value: string): string {
  // Browsers drop ASCII whitespace and controls inside a URL's scheme (`jav\tascript:`).
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0020]+/g, '');
}

export function executableParts(root: Node): string[] {
  const found: string[] = [];
  const walk = (node: Node) => {
    const tag = node.tagName?.toLowerCase();
    if (tag && ACTIVE_ELEMENTS.has(tag)) found.push(`<${tag}>`);
    for (const a of node.attrs ?? []) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on')) found.push(`${tag} ${name}=`);
      if (URL_ATTRIBUTES.has(name)) {
        const v = normalise(a.value);
        // Links open only when clicked (in a new tab); anything else here would load or run by itself.
        const ok =
          name === 'href'
            ? SAFE_URL.test(v)
            : tag === 'img' && name === 'src' && (INLINE_RASTER.test(v) || ATTACHMENT_URL.test(v));
        if (!ok) found.push(`${tag} ${name}=${a.value.slice(0, 60)}`);
      }
      if (name === 'style' && DANGEROUS_CSS.test(a.value)) found.push(`${tag} style=${a.value.slice(0, 60)}`);
    }
    if (tag === 'style') {
      const css = (node.childNodes ?? []).map((c) => c.value ?? '').join('');
      if (DANGEROUS_CSS.test(css)) found.push(`<style>${css.slice(0, 60)}`);
    }
    for (const c of node.childNodes ?? []) walk(c);
    if (node.content) walk(node.content);
  };
  walk(root);
  return found;
}
