import type { OAuthResultMessage } from '../../shared/types';

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** JSON safe inside <script>: `<` escaped so a value can never close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export interface ResultPageInput {
  message: OAuthResultMessage;
  /**
   * The app's origin: postMessage goes only there, never to `*`. Null (no public URL saved yet): the page's own
   * origin, which the browser knows and no request header can change.
   */
  targetOrigin: string | null;
  /** Where a full-page sign-in continues. */
  nextUrl: string;
  /** CSP nonce for the one inline script. */
  nonce: string;
}

/**
 * The page the sign-in popup (or tab) lands on. In a popup it hands the outcome to the opener and closes; in a
 * full-page flow it moves on to the mailbox page. Without script, the text and link still tell the outcome.
 */
export function renderResultPage({ message, targetOrigin, nextUrl, nonce }: ResultPageInput): string {
  const title = message.ok ? 'Mailbox connected' : 'The mailbox was not connected';
  const text = message.ok
    ? 'You can close this window and return to the app.'
    : (message.error ?? 'Something went wrong.');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font-family:system-ui,sans-serif;margin:0;background:#f5f5f5}main{max-width:480px;margin:10vh auto;background:#fff;padding:32px;border-radius:8px}h1{font-size:20px}</style>
</head><body><main>
<h1>${escapeHtml(title)}</h1>
<p role="${message.ok ? 'status' : 'alert'}">${escapeHtml(text)}</p>
<p><a href="${escapeHtml(nextUrl)}">Go to your mailbox</a></p>
</main>
<script nonce="${escapeHtml(nonce)}">
(function () {
  var message = ${scriptJson(message)};
  try {
    if (window.opener && !window.opener.closed) {
      window.opener.postMessage(message, ${targetOrigin ? scriptJson(targetOrigin) : 'window.location.origin'});
      window.close();
      return;
    }
  } catch (e) { /* a cross-origin opener: fall through to the full-page flow */ }
  window.location.replace(${scriptJson(nextUrl)});
})();
</script>
</body></html>`;
}
