/**
 * imapflow against Dovecot with XOAUTH2 checked by the identity stand-in: logins
 * succeed only with a live Outlook token, folders look like Outlook's, and IDLE
 * sees mail that came in through Postfix.
 */
import { ImapFlow } from 'imapflow';
import { deliver, expireAccessTokens, getStack, issueAccessToken, newMailboxAddress, revokeUser } from '../client';

function imap(user: string, accessToken: string, outlook = false) {
  const { host, port } = outlook ? getStack().imapOutlook : getStack().imap;
  const client = new ImapFlow({ host, port, secure: true, auth: { user, accessToken }, logger: false });
  // A failed AUTHENTICATE leaves the socket open; errors are asserted on connect().
  client.on('error', () => undefined);
  return client;
}

async function loginError(user: string, token: string) {
  const client = imap(user, token);
  try {
    await client.connect();
    await client.logout();
    return undefined;
  } catch (err) {
    return err as { authenticationFailed?: boolean };
  } finally {
    client.close();
  }
}

describe('IMAP (Dovecot) with XOAUTH2', () => {
  it("logs in with an Outlook token and lists Outlook's folders with special-use flags", async () => {
    const email = newMailboxAddress('imap');
    const client = imap(email, await issueAccessToken(email));
    await client.connect();
    try {
      const folders = await client.list();
      const byPath = Object.fromEntries(folders.map((f) => [f.path, f.specialUse]));
      expect(byPath).toMatchObject({
        INBOX: '\\Inbox',
        Drafts: '\\Drafts',
        'Sent Items': '\\Sent',
        'Deleted Items': '\\Trash',
        'Junk Email': '\\Junk',
        Archive: '\\Archive',
      });
      expect(folders[0].delimiter).toBe('/');
      expect(client.capabilities.has('CONDSTORE')).toBe(true);
    } finally {
      await client.logout();
    }
  });

  it("offers Outlook's capability list on the Outlook port: no CONDSTORE, QRESYNC or ENABLE", async () => {
    const email = newMailboxAddress('outlook');
    const client = imap(email, await issueAccessToken(email), true);
    await client.connect();
    try {
      for (const cap of ['IDLE', 'MOVE', 'UIDPLUS', 'SASL-IR', 'NAMESPACE'])
        expect(client.capabilities.has(cap)).toBe(true);
      for (const cap of ['CONDSTORE', 'QRESYNC', 'ENABLE']) expect(client.capabilities.has(cap)).toBe(false);
      const box = await client.mailboxOpen('INBOX');
      expect(box.highestModseq).toBeUndefined();
      expect((await client.list()).map((f) => f.path)).toContain('Sent Items');
    } finally {
      await client.logout();
    }
  });

  it('refuses an expired token with authenticationFailed, and accepts a token issued after', async () => {
    const email = newMailboxAddress('expired');
    const token = await issueAccessToken(email);
    await expireAccessTokens(email);
    const err = await loginError(email, token);
    expect(err?.authenticationFailed).toBe(true);
    expect(await loginError(email, await issueAccessToken(email))).toBeUndefined();
  });

  it('refuses a token that lapsed by its exp claim', async () => {
    const email = newMailboxAddress('lapsed');
    const token = await issueAccessToken(email, { lifetimeSeconds: -1 });
    expect((await loginError(email, token))?.authenticationFailed).toBe(true);
  });

  it("refuses a revoked user's token with authenticationFailed", async () => {
    const email = newMailboxAddress('revoked');
    const token = await issueAccessToken(email);
    expect(await loginError(email, token)).toBeUndefined();
    await revokeUser(email);
    expect((await loginError(email, token))?.authenticationFailed).toBe(true);
  });

  it("refuses a Microsoft Graph token (scopes asked by short name) and another user's token", async () => {
    const email = newMailboxAddress('graph');
    const graph = await issueAccessToken(email, {
      resource: 'https://graph.microsoft.com',
      permissions: ['IMAP.AccessAsUser.All'],
    });
    expect((await loginError(email, graph))?.authenticationFailed).toBe(true);
    const someoneElse = await issueAccessToken(newMailboxAddress('other'));
    expect((await loginError(email, someoneElse))?.authenticationFailed).toBe(true);
  });

  it('reports a message delivered through Postfix while IDLE', async () => {
    const email = newMailboxAddress('idle');
    const client = new ImapFlow({
      ...getStack().imap,
      auth: { user: email, accessToken: await issueAccessToken(email) },
      logger: false,
    });
    client.on('error', () => undefined);
    await client.connect();
    try {
      await client.mailboxOpen('INBOX');
      const exists = new Promise<number>((resolve) => client.on('exists', (e: { count: number }) => resolve(e.count)));
      const idle = client.idle();
      await new Promise((r) => setTimeout(r, 100));
      await deliver({ to: email, subject: 'While you were idling', text: 'ping' }, { wait: false });
      await expect(exists).resolves.toBe(1);
      await client.logout();
      await idle.catch(() => undefined);
    } finally {
      client.close();
    }
  });
});
