import { MailError, MailErrorCode } from '../../errors/mail-error';

/**
 * What the sender does next:
 * - `auth`: refresh the token once and try again; a second refusal means the user must reconnect.
 * - `authDisabled`: SMTP AUTH is switched off for the mailbox or tenant; only the server's administrator can fix it.
 * - `recipients`: the server refused recipients (all of them, else the message would have gone out).
 * - `sender`: the server does not let this login send as this address.
 * - `tooLarge`: the message exceeds the server's size limit.
 * - `transient`: unreachable, timed out, or a 4xx: try again later.
 * - `permanent`: anything else the server refused; its words are kept.
 */
export type SmtpFailureKind =
  'auth' | 'authDisabled' | 'recipients' | 'sender' | 'tooLarge' | 'transient' | 'permanent';

export interface SmtpFailure {
  kind: SmtpFailureKind;
  error: MailError;
  /** Refused recipient addresses, when the server named them. */
  rejected?: string[];
}

type Loose = {
  code?: unknown;
  message?: unknown;
  response?: unknown;
  responseCode?: unknown;
  command?: unknown;
  rejected?: unknown;
  rejectedErrors?: unknown;
};

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
  'ERR_SOCKET_CLOSED',
  // nodemailer's own connection codes.
  'ECONNECTION',
  'ESOCKET',
]);

const TLS_CODES =
  /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|ERR_TLS_CERT_ALTNAME_INVALID|ERR_SSL_)/;

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The server's reply line, e.g. `535 5.7.139 Authentication unsuccessful, …`, without trace ids after ` [`. */
function replyOf(e: Loose): string {
  const raw = str(e.response) || '';
  // Outlook appends a trace block: "[DM6PR03CA0071.namprd03.prod.outlook.com 2025-11-21T10:00:00.000Z 08DE…]".
  return raw
    .split('\n')[0]
    .replace(/\s*\[[A-Za-z0-9.:_ -]{20,}\]\s*$/, '')
    .trim()
    .slice(0, 300);
}

/** RFC 3463 enhanced status code (`5.7.139`), when the reply carries one. */
function enhancedCode(reply: string): string | null {
  return /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})\b/.exec(reply)?.[1] ?? null;
}

function addressesIn(list: unknown): string[] {
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
}

function transient(message: string, cause: unknown): SmtpFailure {
  return { kind: 'transient', error: new MailError(MailErrorCode.TRANSIENT, message, { cause }) };
}

/** What the provider tells a person to do about its server's answers (see MailProvider endpoints). */
export interface SmtpServerWording {
  /** How the administrator switches SMTP AUTH on for a mailbox, when the server says it is off. */
  authDisabledFix?: string;
}

/**
 * Classifies anything sending over SMTP threw, with the wording Outlook (smtp.office365.com) and Postfix use.
 * Pure and total: it never throws. A MailError (from the token service) keeps its code.
 */
export function parseSmtpError(err: unknown, server: SmtpServerWording = {}): SmtpFailure {
  try {
    return classify(err, server);
  } catch {
    return transient('Sending failed unexpectedly. Try again later.', err);
  }
}

function classify(err: unknown, server: SmtpServerWording): SmtpFailure {
  if (err instanceof MailError) {
    return { kind: err.code === MailErrorCode.TRANSIENT ? 'transient' : 'permanent', error: err };
  }
  const e: Loose = err && typeof err === 'object' ? (err as Loose) : { message: String(err) };
  const code = str(e.code);
  const reply = replyOf(e);
  const status = typeof e.responseCode === 'number' ? e.responseCode : Number(/^(\d{3})/.exec(reply)?.[1] ?? 0);
  const enhanced = enhancedCode(reply);
  const command = str(e.command);
  const quoted = reply ? ` The server said: "${reply}".` : '';

  // Outlook: "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant."
  if (enhanced === '5.7.139' || /SmtpClientAuthentication is disabled/i.test(reply)) {
    return {
      kind: 'authDisabled',
      error: new MailError(
        MailErrorCode.ADMIN_CONFIGURATION,
        `Sending is switched off for this mailbox: the mail server has SMTP AUTH disabled for it (535 5.7.139). ${server.authDisabledFix ?? 'The mail administrator must allow authenticated SMTP (SMTP AUTH) for this mailbox.'}`,
        { cause: err, providerCode: '5.7.139', owner: 'user' },
      ),
    };
  }
  if (code === 'EAUTH' || status === 535 || status === 534 || enhanced === '5.7.3' || enhanced === '5.7.8') {
    // 454 4.7.0 "Temporary authentication failure" (Postfix when its SASL backend is down) is not the token's fault.
    if (status === 454 || /^4/.test(String(status || ''))) {
      return transient(`The mail server could not check the sign-in right now. Try again in a moment.${quoted}`, err);
    }
    return {
      kind: 'auth',
      error: new MailError(
        MailErrorCode.RECONNECT_REQUIRED,
        `The mail server refused the sign-in for sending from this mailbox. Reconnect the mailbox.${quoted}`,
        {
          cause: err,
          providerCode: enhanced ?? undefined,
          reason: 'The mail server refused the sign-in for sending from this mailbox.',
        },
      ),
    };
  }
  if (code === 'EENVELOPE' && (command === 'RCPT TO' || Array.isArray(e.rejected))) {
    const rejected = addressesIn(e.rejected);
    const words = Array.isArray(e.rejectedErrors) ? replyOf((e.rejectedErrors as Loose[])[0] ?? {}) : reply;
    const temporary = /^4/.test(words);
    if (temporary)
      return transient(
        `The mail server could not accept the recipients right now. Try again later. The server said: "${words}".`,
        err,
      );
    return {
      kind: 'recipients',
      rejected,
      error: new MailError(
        MailErrorCode.INVALID_INPUT,
        `The mail server refused ${rejected.length === 1 ? 'the recipient' : 'the recipients'}${rejected.length ? ` ${rejected.join(', ')}` : ''}: check the address${rejected.length === 1 ? '' : 'es'}.${words ? ` The server said: "${words}".` : ''}`,
        { cause: err, status: 422, providerCode: enhancedCode(words) ?? undefined },
      ),
    };
  }
  if (code === 'EENVELOPE' && command === 'MAIL FROM' && /^5/.test(reply)) {
    if (status === 552 || enhanced === '5.3.4' || enhanced === '5.2.3') return tooLarge(err, quoted);
    return sender(err, quoted, enhanced);
  }
  // Outlook: "554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied".
  if (/SendAsDenied|not owned by user|Sender address rejected/i.test(reply)) return sender(err, quoted, enhanced);
  if (
    status === 552 ||
    enhanced === '5.3.4' ||
    enhanced === '5.2.3' ||
    (code === 'EMESSAGE' && /size/i.test(str(e.message)))
  ) {
    return tooLarge(err, quoted);
  }
  if (e && typeof e === 'object' && TLS_CODES.test(code)) {
    return {
      kind: 'permanent',
      error: new MailError(
        MailErrorCode.ADMIN_CONFIGURATION,
        'A secure connection to the SMTP server could not be established (certificate or TLS problem).',
        { cause: err, providerCode: code },
      ),
    };
  }
  if (code === 'EDNS' || code === 'ENOTFOUND') {
    return {
      kind: 'permanent',
      error: new MailError(
        MailErrorCode.ADMIN_CONFIGURATION,
        'The SMTP server name could not be found. Check the SMTP host in the email settings.',
        { cause: err, providerCode: code },
      ),
    };
  }
  if (NETWORK_CODES.has(code) || code === 'ETLS' || /^4\d\d$/.test(String(status))) {
    const what = /^4\d\d$/.test(String(status))
      ? `The mail server asked to try again later.${quoted}`
      : 'The mail server could not be reached.';
    return transient(`${what} The message stays in the outbox; try again later.`, err);
  }
  if (/^5\d\d$/.test(String(status))) {
    return {
      kind: 'permanent',
      error: new MailError(MailErrorCode.PROVIDER_ERROR, `The mail server refused the message.${quoted}`, {
        cause: err,
        owner: 'user',
        providerCode: enhanced ?? undefined,
      }),
    };
  }
  return transient('Sending failed unexpectedly. Try again later.', err);
}

function tooLarge(err: unknown, quoted: string): SmtpFailure {
  return {
    kind: 'tooLarge',
    error: new MailError(
      MailErrorCode.INVALID_INPUT,
      `The message is larger than the mail server accepts. Remove attachments or share them as links.${quoted}`,
      { cause: err, status: 413 },
    ),
  };
}

function sender(err: unknown, quoted: string, enhanced: string | null): SmtpFailure {
  return {
    kind: 'sender',
    error: new MailError(
      MailErrorCode.PROVIDER_ERROR,
      `The mail server does not let this mailbox send as its address (send-as permission missing).${quoted}`,
      {
        cause: err,
        owner: 'user',
        providerCode: enhanced ?? undefined,
      },
    ),
  };
}
