import { escapeHtml } from './http';

const STYLE = `
body{font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;margin:0}
main{max-width:440px;margin:8vh auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:16px 0}
.brand{font-weight:600;color:#737373}
input[type=email]{width:100%;box-sizing:border-box;font-size:15px;padding:6px 0;border:0;border-bottom:1px solid #666;margin:16px 0}
ul{padding-left:20px;color:#333}
.buttons{display:flex;gap:8px;justify-content:flex-end;margin-top:24px}
button{min-width:108px;padding:6px 12px;font-size:15px;border:0;cursor:pointer}
button[value=accept]{background:#0067b8;color:#fff}
button[value=cancel]{background:#ccc}
.error{color:#e81123}
.note{font-size:13px;color:#666;margin-top:24px}`;

/** Human-readable names for the permissions shown on the consent part of the page. */
const DESCRIPTIONS: Record<string, string> = {
  'IMAP.AccessAsUser.All': 'Read and write access to mailboxes via IMAP',
  'SMTP.Send': 'Send emails from mailboxes using SMTP AUTH',
  'User.Read': 'Sign you in and read your profile',
  offline_access: 'Maintain access to data you have given it access to',
  openid: 'Sign you in',
  profile: 'View your basic profile',
  email: 'View your email address',
};

export function signInPage(o: {
  action: string;
  query: string;
  appName: string;
  permissions: string[];
  loginHint?: string;
  error?: string;
}) {
  const perms = [...new Set(o.permissions)].map((p) => `<li>${escapeHtml(DESCRIPTIONS[p] || p)}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head>
<body><main>
<div class="brand">Microsoft (local stand-in)</div>
<h1>Sign in</h1>
<form method="post" action="${escapeHtml(o.action)}">
<input type="hidden" name="ctx" value="${escapeHtml(o.query)}">
<label for="login">Email for <b>${escapeHtml(o.appName)}</b></label>
<input id="login" type="email" name="login" required autofocus placeholder="someone@example.test" value="${escapeHtml(o.loginHint || '')}">
${o.error ? `<p class="error" role="alert">${escapeHtml(o.error)}</p>` : ''}
<p>${escapeHtml(o.appName)} would like to:</p>
<ul>${perms}</ul>
<div class="buttons">
<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
<button type="submit" name="action" value="accept">Accept</button>
</div>
<p class="note">Any address at <b>@example.test</b> signs in; no password.</p>
</form>
</main></body></html>`;
}

export function errorPage(o: { code: number; error: string; message: string; correlationId: string }) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title><style>${STYLE}</style></head>
<body><main>
<div class="brand">Microsoft (local stand-in)</div>
<h1>Sorry, but we’re having trouble signing you in.</h1>
<p class="error">AADSTS${o.code}: ${escapeHtml(o.message)}</p>
<p class="note">Request Id: ${escapeHtml(o.correlationId)}<br>Correlation Id: ${escapeHtml(o.correlationId)}<br>
Timestamp: ${new Date().toISOString()}<br>Message: ${escapeHtml(o.error)}</p>
</main></body></html>`;
}

/** response_mode=form_post: the browser posts the result to the redirect URI (OIDC Form Post Response Mode). */
export function formPostPage(redirectUri: string, fields: Record<string, string>) {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return `<!doctype html><html><head><title>Working...</title></head>
<body onload="document.forms[0].submit()"><form method="POST" action="${escapeHtml(redirectUri)}">${inputs}
<noscript><button type="submit">Continue</button></noscript></form></body></html>`;
}
