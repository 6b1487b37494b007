/**
 * A form_post answer (OAuth 2.0 Form Post Response Mode) arrives as a cross-site POST, which carries no SameSite=Lax cookie, so the browser
 * binding cannot be checked on it. This page posts the same fields once more, from the app's own origin, where the
 * cookie comes along. The fields live only in the page body: no URL, history entry or Referer ever holds them.
 */
export const RELAY_FIELD = 'mailbridge_relay';

/** What a sign-in response may carry (OAuth 2.0 §4.1.2 and §4.1.2.1, plus OpenID session_state and client_info). */
export const RESPONSE_FIELDS = [
  'code',
  'state',
  'client_info',
  'session_state',
  'error',
  'error_description',
  'error_subcode',
  'error_uri',
];

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

export function renderRelayPage({ fields, nonce }: { fields: Record<string, string>; nonce: string }): string {
  const inputs = RESPONSE_FIELDS.filter((k) => fields[k] !== undefined)
    .map((k) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(fields[k])}">`)
    .concat(`<input type="hidden" name="${RELAY_FIELD}" value="1">`)
    .join('\n');
  // action="" posts to this page's own address, which no request header chose.
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Finishing the sign-in…</title></head><body>
<form method="POST" action="" id="mailbridge-relay">
${inputs}
<noscript><p>Finishing the sign-in.</p><button type="submit">Continue</button></noscript>
</form>
<script nonce="${escapeHtml(nonce)}">document.getElementById('mailbridge-relay').submit();</script>
</body></html>`;
}
