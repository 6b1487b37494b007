import { ImapFlow, ImapFlowOptions } from 'imapflow';
import type { TlsMode } from '../tls-mode';
import { parseImapError } from './parse-imap-error';

export interface ImapEndpoint {
  host: string;
  port: number;
  tls: TlsMode;
}

export interface ImapToken {
  accessToken: string;
  /** The mailbox: the XOAUTH2 `user`. */
  address: string;
  expiresOn?: Date;
}

/** Where IMAP logins get their access tokens; the plugin's token service in production. */
export interface ImapTokenSource {
  get(accountId: number): Promise<ImapToken>;
  /** The server rejected `rejectedAccessToken`: a fresh token, refreshed unless someone else already did. */
  refresh(accountId: number, rejectedAccessToken: string): Promise<ImapToken>;
}

export interface OpenImapOptions {
  endpoint: ImapEndpoint;
  accountId: number;
  tokens: ImapTokenSource;
  /** Extra imapflow options (timeouts, IDLE tuning). */
  client?: Partial<ImapFlowOptions>;
}

export interface OpenImap {
  client: ImapFlow;
  token: ImapToken;
}

async function attempt(options: OpenImapOptions, token: ImapToken): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: options.endpoint.host,
    port: options.endpoint.port,
    secure: options.endpoint.tls === 'implicit',
    // STARTTLS or nothing: imapflow would otherwise go on in clear when the server does not offer it.
    doSTARTTLS: options.endpoint.tls === 'starttls' ? true : undefined,
    // XOAUTH2 (Outlook offers no OAUTHBEARER); imapflow picks it when an access token is given.
    auth: { user: token.address, accessToken: token.accessToken },
    logger: false,
    clientInfo: { name: 'NocoBase email manager' },
    // Outlook closes sessions idle for 30 minutes (RFC 9051 allows that); restart IDLE well before.
    maxIdleTime: 4 * 60_000,
    connectionTimeout: 30_000,
    greetingTimeout: 16_000,
    socketTimeout: 5 * 60_000,
    ...options.client,
  });
  // imapflow emits 'error' once before closing; without a listener Node would crash the process. Callers watch 'close'.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return client;
  } catch (err) {
    // After a failed AUTHENTICATE imapflow leaves the socket open.
    client.close();
    throw err;
  }
}

/**
 * Opens an authenticated IMAP connection. When the server rejects the token, the token is refreshed once and the
 * login retried (as nodemailer's XOAUTH2 does); a second rejection is thrown for the caller to classify.
 */
export async function openImapConnection(options: OpenImapOptions): Promise<OpenImap> {
  const token = await options.tokens.get(options.accountId);
  try {
    return { client: await attempt(options, token), token };
  } catch (err) {
    if (parseImapError(err).kind !== 'auth') throw err;
    const fresh = await options.tokens.refresh(options.accountId, token.accessToken);
    return { client: await attempt(options, fresh), token: fresh };
  }
}

/** Logs out politely, or drops the socket when the connection is already unusable. Never throws. */
export async function closeQuietly(client: ImapFlow | null | undefined): Promise<void> {
  if (!client) return;
  try {
    if (client.usable) await Promise.race([client.logout(), new Promise((r) => setTimeout(r, 2000).unref())]);
  } catch {
    // Closing anyway.
  }
  try {
    client.close();
  } catch {
    // Already closed.
  }
}
