import { MailError, MailErrorCode } from '../../errors/mail-error';

/**
 * What the caller does next:
 * - `auth`: refresh the token once and retry; if it fails again the user must reconnect.
 * - `throttled`: wait `retryAfterMs`, as long as the server asked.
 * - `transient`: retry with backoff.
 * - `mailboxMissing`: the folder is gone on the server (deleted or renamed elsewhere): forget it, go on.
 * - `permanent`: stop; the account shows the message until someone acts. Only what a person must fix is permanent
 *   (a missing permission, the administrator's configuration); any other refusal is retried, because servers refuse
 *   for passing reasons with words no list can foresee (Outlook: `NO Server Unavailable. 15`).
 */
export type ImapFailureKind = 'auth' | 'throttled' | 'transient' | 'mailboxMissing' | 'permanent';

export interface ImapFailure {
  kind: ImapFailureKind;
  error: MailError;
  /** Server-suggested wait, when it gave one. */
  retryAfterMs?: number;
  /**
   * The refusal concerns only the folder the command named (RFC 5530 §3 NOPERM: "the access control system does
   * not permit this user to carry out an operation"), not the account: the other folders still sync.
   */
  folderOnly?: true;
}

type Loose = {
  code?: unknown;
  message?: unknown;
  responseText?: unknown;
  response?: unknown;
  serverResponseCode?: unknown;
  responseStatus?: unknown;
  authenticationFailed?: unknown;
  tlsFailed?: unknown;
  throttleReset?: unknown;
  mailboxMissing?: unknown;
  reason?: unknown;
};

/** Node socket and DNS codes that say "the network or server is down right now". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ESOCKET',
  'ERR_SOCKET_CLOSED',
  // imapflow's own connection codes.
  'NoConnection',
  'EConnectionClosed',
  'CONNECT_TIMEOUT',
  'GREETING_TIMEOUT',
  'UPGRADE_TIMEOUT',
  'ETIMEOUT',
  'ClosedAfterConnectText',
  'ClosedAfterConnectTLS',
  'StateLogout',
  'LockTimeout',
]);

const TLS_CODES =
  /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|ERR_TLS_CERT_ALTNAME_INVALID|ERR_SSL_)/;

/**
 * Response codes (RFC 5530) that mean "try later". UNAVAILABLE is also what Dovecot answers when its OAuth2
 * introspection endpoint is down ("NO [UNAVAILABLE] Temporary authentication failure"): not the user's fault.
 */
const TRANSIENT_RESPONSE_CODES = new Set(['UNAVAILABLE', 'INUSE', 'LIMIT', 'SERVERBUG', 'EXPUNGEISSUED']);

/** Server wording for "try later" without a response code (Outlook: `NO Server Unavailable. 15`, backend moves). */
const TRANSIENT_WORDS = /Temporary authentication failure|Server Unavailable|temporar(y|ily)|try again later|throttl/i;

/** RFC 5530 codes for "you may not" (RFC 5530 §3: NOPERM; OVERQUOTA needs the owner to free space). */
const USER_MUST_ACT_CODES = new Set(['NOPERM', 'OVERQUOTA']);

/** RFC 5530 codes only the server's or the plugin's administrator can clear. */
const ADMIN_MUST_ACT_CODES = new Set(['CONTACTADMIN', 'PRIVACYREQUIRED']);

/** RFC 5530 codes of a refused sign-in; EXPIRED is an expired password or account. */
const AUTH_CODES = new Set(['AUTHENTICATIONFAILED', 'AUTHORIZATIONFAILED', 'EXPIRED']);

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return '';
}

/** The server's own words, without the tag or a trailing stack. */
function serverWords(e: Loose): string {
  const raw = text(e.responseText) || text(e.response) || text(e.reason) || text(e.message);
  return raw
    .replace(/^[A-Z0-9.]+ (OK|NO|BAD) /, '')
    .split('\n')[0]
    .trim()
    .slice(0, 300);
}

/** The RFC 5530 response code, from imapflow's parsed field or the `[CODE]` opening the server's words. */
function responseCodeOf(e: Loose, words: string): string {
  if (typeof e.serverResponseCode === 'string' && e.serverResponseCode) return e.serverResponseCode.toUpperCase();
  const m = /^\[([A-Za-z-]+)[\] ]/.exec(words);
  return m ? m[1].toUpperCase() : '';
}

function backoffHint(words: string): number | undefined {
  // Outlook: "Request is throttled. Suggested Backoff Time: 92415 milliseconds".
  const m = /Backoff Time[:=\s]+(\d+)/i.exec(words);
  return m ? Number(m[1]) : undefined;
}

function transient(message: string, cause: unknown, retryAfterMs?: number): ImapFailure {
  return {
    kind: retryAfterMs === undefined ? 'transient' : 'throttled',
    error: new MailError(MailErrorCode.TRANSIENT, message, { cause }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/**
 * Classifies anything an IMAP operation threw. Pure and total: it never throws, whatever it is given, so every
 * caller can rely on one verdict. A MailError (from the token service) keeps its code.
 */
export function parseImapError(err: unknown): ImapFailure {
  try {
    return classify(err);
  } catch {
    return transient('The mail server failed in an unexpected way. Retrying later.', err);
  }
}

function classify(err: unknown): ImapFailure {
  if (err instanceof MailError) {
    switch (err.code) {
      case MailErrorCode.TRANSIENT:
        return { kind: 'transient', error: err };
      case MailErrorCode.NOT_FOUND:
        return { kind: 'mailboxMissing', error: err };
      default:
        return { kind: 'permanent', error: err };
    }
  }
  const e: Loose = err && typeof err === 'object' ? (err as Loose) : { message: String(err) };
  const code = typeof e.code === 'string' ? e.code : '';
  const words = serverWords(e);
  const responseCode = responseCodeOf(e, words);

  if (code === 'ETHROTTLE' || /Request is throttled/i.test(words)) {
    const hint = typeof e.throttleReset === 'number' ? e.throttleReset : backoffHint(words);
    return transient('The mail server asked to slow down. Syncing resumes shortly.', err, hint ?? 60_000);
  }
  // Outlook answers this after too many logins in a short time; waiting is the only cure.
  if (/authenticated but not connected/i.test(words)) {
    return transient('The mail server is refusing new sessions for a moment. Retrying shortly.', err, 60_000);
  }
  if (TRANSIENT_RESPONSE_CODES.has(responseCode) || TRANSIENT_WORDS.test(words)) {
    return transient(`The mail server is temporarily unavailable${words ? ` ("${words}")` : ''}. Retrying later.`, err);
  }
  if (
    e.authenticationFailed === true ||
    AUTH_CODES.has(responseCode) ||
    /AUTHENTICATE failed|LOGIN failed|invalid credentials/i.test(words)
  ) {
    return {
      kind: 'auth',
      error: new MailError(
        MailErrorCode.RECONNECT_REQUIRED,
        'The mail server refused the sign-in for this mailbox. Reconnect the mailbox.',
        {
          cause: err,
          reason: 'The mail server refused the sign-in for this mailbox.',
        },
      ),
    };
  }
  if (e.mailboxMissing === true || responseCode === 'NONEXISTENT' || code === 'NotFound') {
    return {
      kind: 'mailboxMissing',
      error: new MailError(MailErrorCode.NOT_FOUND, 'The folder no longer exists on the mail server.', { cause: err }),
    };
  }
  if (e.tlsFailed === true || TLS_CODES.test(code)) {
    return {
      kind: 'permanent',
      error: new MailError(
        MailErrorCode.ADMIN_CONFIGURATION,
        'A secure connection to the IMAP server could not be established (certificate or TLS problem).',
        {
          cause: err,
          providerCode: code || undefined,
        },
      ),
    };
  }
  if (code === 'ENOTFOUND') {
    return {
      kind: 'permanent',
      error: new MailError(
        MailErrorCode.ADMIN_CONFIGURATION,
        'The IMAP server name could not be found. Check the IMAP host in the email settings.',
        {
          cause: err,
          providerCode: code,
        },
      ),
    };
  }
  if (
    NETWORK_CODES.has(code) ||
    code.startsWith('ParserError') ||
    /socket hang up|connection (closed|reset|lost)|server shutting down/i.test(words)
  ) {
    return transient('The connection to the mail server was lost. Retrying shortly.', err);
  }
  if (USER_MUST_ACT_CODES.has(responseCode)) {
    return {
      kind: 'permanent',
      error: new MailError(
        MailErrorCode.PROVIDER_ERROR,
        `The mail server refused access: "${words}". Check the mailbox's permissions and storage.`,
        { cause: err, owner: 'user' },
      ),
      ...(responseCode === 'NOPERM' ? { folderOnly: true as const } : {}),
    };
  }
  if (ADMIN_MUST_ACT_CODES.has(responseCode)) {
    return {
      kind: 'permanent',
      error: new MailError(MailErrorCode.ADMIN_CONFIGURATION, `The mail server refused this mailbox: "${words}".`, {
        cause: err,
        reason: `The mail server refused this mailbox: "${words}".`,
      }),
    };
  }
  if (e.responseStatus === 'NO' || e.responseStatus === 'BAD') {
    return transient(`The mail server refused a request${words ? ` ("${words}")` : ''}. Retrying later.`, err);
  }
  // A JavaScript error of ours or an unknown library failure: retry, so a bug cannot stop sync for good.
  return transient('Syncing failed unexpectedly. Retrying later.', err);
}
