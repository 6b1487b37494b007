/**
 * CSS from mail, made inert: nothing in it may run code or load anything without the user's consent. Remote
 * `url()`s are cut out; the caller keeps them aside so the client can restore them when images are allowed.
 */

export type CidResolver = (contentId: string) => string | null;

export interface CleanCss {
  /** Safe to render now: no remote loads. Empty when nothing safe is left. */
  css: string;
  /** The same CSS with its remote `url()`s kept (http/https only), or null when it had none. */
  withRemote: string | null;
}

const INLINE_IMAGE = /^data:image\/(png|jpe?g|gif|webp|bmp);base64,[a-z0-9+/=\s]+$/i;

/** Code or behaviour hooks of old browsers (IE `expression()`/`behavior`, Firefox `-moz-binding`) and script URLs. */
const DANGEROUS =
  /expression\s*\(|behaviou?r\s*:|-moz-binding|javascript\s*:|vbscript\s*:|livescript\s*:|@import|@namespace|@charset/i;

/** Functions that load images without `url()`, and any address left after the `url()`s are handled. */
const LOADS_WITHOUT_URL = /image-set\s*\(|cross-fade\s*\(|element\s*\(|paint\s*\(|src\s*\(|(?:https?:)?\/\//i;

function isRemote(u: string): boolean {
  return /^(https?:)?\/\//i.test(u);
}

function rewriteUrls(css: string, resolveCid: CidResolver): { safe: string; remote: string; hadRemote: boolean } {
  let hadRemote = false;
  const pattern = /url\s*\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"]*))\s*\)/gi;
  const rewrite = (keepRemote: boolean) =>
    css.replace(pattern, (_all, dq: string | undefined, sq: string | undefined, bare: string | undefined) => {
      const u = (dq ?? sq ?? bare ?? '').trim();
      if (/^cid:/i.test(u)) {
        const resolved = resolveCid(u.slice(4));
        return resolved ? `url("${resolved.replace(/["\\\n\r]/g, '')}")` : 'none';
      }
      if (INLINE_IMAGE.test(u)) return `url("${u.replace(/\s/g, '')}")`;
      if (isRemote(u) && /^[^"'\\\s<>()]+$/.test(u)) {
        hadRemote = true;
        return keepRemote ? `url("${u.startsWith('//') ? `https:${u}` : u}")` : 'none';
      }
      return 'none';
    });
  const safe = rewrite(false);
  const remote = rewrite(true);
  return { safe, remote, hadRemote };
}

function prepare(css: string): string | null {
  // Comments can split keywords (`exp/**/ression`); escapes can spell them (`\65 xpression`). Mail CSS does not need
  // either, so a backslash makes the whole block untrusted.
  const text = css.replace(/\/\*[\s\S]*?(\*\/|$)/g, '');
  if (/\\/.test(text) || /</.test(text)) return null;
  if (DANGEROUS.test(text)) return null;
  return text;
}

/** A `style="…"` attribute value. */
export function cleanStyleAttribute(value: string, resolveCid: CidResolver): CleanCss {
  const text = prepare(value);
  if (text === null) return { css: '', withRemote: null };
  const { safe, remote, hadRemote } = rewriteUrls(text, resolveCid);
  if (LOADS_WITHOUT_URL.test(safe.replace(/url\("(data:|\/)[^"]*"\)/gi, ''))) return { css: '', withRemote: null };
  return { css: safe.trim(), withRemote: hadRemote ? remote.trim() : null };
}

/**
 * A `<style>` block, cleaned as a `style` attribute is. Rules that load fonts (`@font-face`) are dropped: the
 * frame never loads fonts, so they could not be restored.
 */
export function cleanStyleSheet(css: string, resolveCid: CidResolver): CleanCss {
  const withoutFonts = css.replace(/@font-face\s*\{[^}]*\}/gi, '');
  const text = prepare(withoutFonts);
  if (text === null) return { css: '', withRemote: null };
  const { safe, remote, hadRemote } = rewriteUrls(text, resolveCid);
  if (LOADS_WITHOUT_URL.test(safe.replace(/url\("(data:|\/)[^"]*"\)/gi, ''))) return { css: '', withRemote: null };
  return { css: safe, withRemote: hadRemote ? remote : null };
}
