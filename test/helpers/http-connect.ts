/**
 * Connecting a mailbox against a running app over HTTP, as a browser does: the connect call (which sets the
 * browser-binding cookie), the sign-in at the stand-in, and the return to the callback with that cookie, through
 * the callback's relay page when it answers with one.
 */
import { pageMessage, relayFields } from './mail-app';
import { signInReturn } from './stand-in';

function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

async function postForm(url: string, fields: Record<string, string>, cookie: string): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  return res.text();
}

/** Connects `email` for the user signed in with `token` on the node at `baseUrl`; returns the new account's id. */
export async function connectOverHttp(baseUrl: string, token: string, email: string): Promise<number> {
  const start = await fetch(`${baseUrl}/api/mailAccounts:connect`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!start.ok) throw new Error(`connect answered ${start.status}: ${await start.text()}`);
  const cookie = cookiesOf(start);
  const { authorizeUrl } = ((await start.json()) as { data: { authorizeUrl: string } }).data;
  const returned = await signInReturn(authorizeUrl, email);
  let page =
    returned.method === 'POST'
      ? await postForm(returned.url, returned.fields, cookie)
      : await (await fetch(returned.url, { headers: { Cookie: cookie }, redirect: 'manual' })).text();
  const relay = relayFields(page);
  if (relay) page = await postForm(returned.url, relay, cookie);
  const result = pageMessage(page);
  if (!result.ok || !result.accountId) throw new Error(`connecting ${email} failed: ${JSON.stringify(result)}`);
  return Number(result.accountId);
}
