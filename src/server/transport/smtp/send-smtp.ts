import SMTPConnection from 'nodemailer/lib/smtp-connection';
import XOAuth2 from 'nodemailer/lib/xoauth2';
import type { TlsMode } from '../tls-mode';
import { parseSmtpError, SmtpFailure, SmtpServerWording } from './parse-smtp-error';

export interface SmtpEndpoint extends SmtpServerWording {
  host: string;
  port: number;
  tls: TlsMode;
}

export interface SmtpToken {
  accessToken: string;
  /** The mailbox: the XOAUTH2 `user`. */
  address: string;
}

/** Where the login gets its access token; the plugin's token service in production. */
export interface SmtpTokenSource {
  get(): Promise<SmtpToken>;
  /** The server refused `rejectedAccessToken`: a fresh token, refreshed unless someone else already did. */
  refresh(rejectedAccessToken: string): Promise<SmtpToken>;
}

export interface SmtpSendOptions {
  endpoint: SmtpEndpoint;
  tokens: SmtpTokenSource;
  envelope: { from: string; to: string[] };
  raw: Buffer;
  timeouts?: { connectionMs?: number; socketMs?: number };
}

export interface SmtpSendResult {
  accepted: string[];
  /** Recipients the server refused while it took the message for the others. */
  rejected: string[];
  response: string;
}

/** A failed send: what went wrong, and whether the message may still have reached the server. */
export class SmtpSendError extends Error {
  constructor(
    readonly failure: SmtpFailure,
    /**
     * The connection broke after the envelope was accepted, so the server may have taken the message text
     * before the reply was lost (RFC 5321 §4.1.1.4 leaves this open): a retry could duplicate it.
     */
    readonly mayHaveBeenDelivered: boolean,
  ) {
    super(failure.error.message, { cause: failure.error });
    this.name = 'SmtpSendError';
  }
}

type Connection = InstanceType<typeof SMTPConnection>;

function connect(options: SmtpSendOptions): Promise<Connection> {
  const { endpoint, timeouts } = options;
  const connection = new SMTPConnection({
    host: endpoint.host,
    port: endpoint.port,
    secure: endpoint.tls === 'implicit',
    // Outlook's submission port 587 and Postfix submission want STARTTLS before AUTH; never send a token in clear.
    requireTLS: endpoint.tls === 'starttls',
    connectionTimeout: timeouts?.connectionMs ?? 30_000,
    greetingTimeout: timeouts?.connectionMs ?? 30_000,
    socketTimeout: timeouts?.socketMs ?? 120_000,
    logger: false,
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    connection.once('error', (err: Error) => {
      if (!settled) {
        settled = true;
        reject(err);
      }
    });
    connection.connect(() => {
      if (settled) return;
      settled = true;
      // Later socket errors surface through the failing command's callback.
      connection.on('error', () => undefined);
      resolve(connection);
    });
  });
}

function login(connection: Connection, token: SmtpToken): Promise<void> {
  const oauth2 = new XOAuth2({ user: token.address, accessToken: token.accessToken });
  return new Promise((resolve, reject) => {
    connection.login({ user: token.address, method: 'XOAUTH2', oauth2 } as never, (err) =>
      err ? reject(err) : resolve(),
    );
  });
}

function close(connection: Connection | null): void {
  if (!connection) return;
  try {
    connection.quit();
  } catch {
    // closing anyway
  }
  try {
    connection.close();
  } catch {
    // already closed
  }
}

/** Connects and signs in; a refused token is refreshed once and the login retried on a new connection. */
async function open(options: SmtpSendOptions): Promise<Connection> {
  const token = await options.tokens.get();
  let connection: Connection | null = await connect(options);
  try {
    await login(connection, token);
    return connection;
  } catch (err) {
    close(connection);
    connection = null;
    if (parseSmtpError(err).kind !== 'auth') throw err;
  }
  const fresh = await options.tokens.refresh(token.accessToken);
  connection = await connect(options);
  try {
    await login(connection, fresh);
    return connection;
  } catch (err) {
    close(connection);
    throw err;
  }
}

const NETWORK = /^(ECONNECTION|ETIMEDOUT|ESOCKET|ECONNRESET|EPIPE)$/;

/**
 * Sends one prepared message over SMTP with XOAUTH2. Every failure leaves as an SmtpSendError carrying the
 * classified reason; failures before the envelope was accepted are known not to have delivered anything.
 */
export async function sendOverSmtp(options: SmtpSendOptions): Promise<SmtpSendResult> {
  let connection: Connection;
  try {
    connection = await open(options);
  } catch (err) {
    throw new SmtpSendError(parseSmtpError(err, options.endpoint), false);
  }
  try {
    const info = await new Promise<SMTPConnection.SentMessageInfo>((resolve, reject) => {
      connection.send(options.envelope, options.raw, (err, result) => (err ? reject(err) : resolve(result)));
    });
    return {
      accepted: info.accepted.map(String),
      rejected: info.rejected.map(String),
      response: String(info.response ?? ''),
    };
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    throw new SmtpSendError(parseSmtpError(err, options.endpoint), NETWORK.test(code));
  } finally {
    close(connection);
  }
}
