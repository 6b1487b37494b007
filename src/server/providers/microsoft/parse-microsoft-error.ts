import { MailError, MailErrorCode } from '../../errors/mail-error';
import { REQUEST_TIMEOUT } from './timed-network-client';

/** What one Microsoft error means and what to do about it. */
interface Meaning {
  code: MailErrorCode;
  /** What happened, in words. */
  reason: string;
  /** What the person who owns the problem should do. */
  fix: string;
}

const RECONNECT_FIX = 'Reconnect the mailbox to sign in to Microsoft again.';
const START_AGAIN = 'Start connecting the mailbox again.';

/**
 * AADSTS codes (Microsoft Entra authentication and authorization error codes) → meaning. Codes decide before the
 * OAuth `error` string because Microsoft reuses `invalid_grant`/`invalid_client` for very different causes.
 */
const BY_AADSTS: Record<number, Meaning> = {
  7000215: {
    code: MailErrorCode.ADMIN_CONFIGURATION,
    reason: 'Microsoft rejected the client secret saved in the email settings (AADSTS7000215).',
    fix: "In Entra, open the app's Certificates & secrets, copy the secret's Value (not its Secret ID) and save it in the email settings.",
  },
  7000222: {
    code: MailErrorCode.ADMIN_CONFIGURATION,
    reason: "The app's client secret has expired (AADSTS7000222).",
    fix: "Create a new client secret under the app's Certificates & secrets in Entra and save its Value in the email settings.",
  },
  7000218: {
    code: MailErrorCode.ADMIN_CONFIGURATION,
    reason: 'No client secret was sent to Microsoft (AADSTS7000218).',
    fix: 'Save the client secret in the email settings.',
  },
  700016: {
    code: MailErrorCode.ADMIN_CONFIGURATION,
    reason: 'Microsoft does not know the Client ID saved in the email settings in this tenant (AADSTS700016).',
    fix: "Check the Application (client) ID on the app's Overview page in Entra, and that the tenant setting names the directory the app is registered in.",
  },
  50194: {
    code: MailErrorCode.ADMIN_CONFIGURATION,
    reason: 'The app is registered for one organization only, so it cannot sign in through "common" (AADSTS50194).',
    fix: "Set the tenant in the email settings to your Directory (tenant) ID, or change the app's supported account types to accounts in any organizational directory.",
  },
  90002: {
    code: MailErrorCode.ADMIN_CONFIGURATION,
    reason: 'Microsoft does not know the tenant saved in the email settings (AADSTS90002).',
    fix: 'Use "common", "organizations", "consumers", your Directory (tenant) ID or a verified domain, and check the cloud setting.',
  },
  50011: {
    code: MailErrorCode.ADMIN_CONFIGURATION,
    reason: 'The redirect URI is not registered for the app (AADSTS50011).',
    fix: "Add the redirect URI shown in the email settings, exactly, as a Web redirect URI under the app's Authentication page in Entra.",
  },
  500112: {
    code: MailErrorCode.ADMIN_CONFIGURATION,
    reason: 'The redirect URI changed during the sign-in (AADSTS500112).',
    fix: 'Check the public URL in the email settings and register the redirect URI shown there in Entra.',
  },
  90094: {
    code: MailErrorCode.ADMIN_CONFIGURATION,
    reason: 'Your organization requires an administrator to approve this app (AADSTS90094).',
    fix: "A Microsoft 365 administrator must grant admin consent under the app's API permissions in Entra.",
  },
  53003: {
    code: MailErrorCode.ADMIN_CONFIGURATION,
    reason: "Your organization's Conditional Access policies blocked the sign-in (AADSTS53003).",
    fix: 'Ask your Microsoft 365 administrator to allow this app.',
  },
  50173: {
    code: MailErrorCode.RECONNECT_REQUIRED,
    reason: 'Microsoft revoked the sign-in for this mailbox, for example after a password change (AADSTS50173).',
    fix: RECONNECT_FIX,
  },
  700082: {
    code: MailErrorCode.RECONNECT_REQUIRED,
    reason: 'The sign-in for this mailbox expired after a long time without use (AADSTS700082).',
    fix: RECONNECT_FIX,
  },
  70008: {
    code: MailErrorCode.RECONNECT_REQUIRED,
    reason: 'The sign-in for this mailbox has expired (AADSTS70008).',
    fix: RECONNECT_FIX,
  },
  50076: {
    code: MailErrorCode.RECONNECT_REQUIRED,
    reason: 'Microsoft requires multi-factor authentication again (AADSTS50076).',
    fix: RECONNECT_FIX,
  },
  50079: {
    code: MailErrorCode.RECONNECT_REQUIRED,
    reason: 'Microsoft requires you to set up multi-factor authentication (AADSTS50079).',
    fix: RECONNECT_FIX,
  },
  65001: {
    code: MailErrorCode.RECONNECT_REQUIRED,
    reason: "Microsoft needs you to approve the app's permissions again (AADSTS65001).",
    fix: RECONNECT_FIX,
  },
  50058: {
    code: MailErrorCode.RECONNECT_REQUIRED,
    reason: 'Microsoft needs you to sign in again (AADSTS50058).',
    fix: RECONNECT_FIX,
  },
  65004: {
    code: MailErrorCode.ACCESS_DENIED,
    reason: 'You declined the permissions the app asked for, so no mailbox was connected (AADSTS65004).',
    fix: 'Connect again and accept the permissions to read and send mail.',
  },
  54005: {
    code: MailErrorCode.RECONNECT_REQUIRED,
    reason: 'This sign-in was already used (AADSTS54005).',
    fix: START_AGAIN,
  },
  700005: {
    code: MailErrorCode.RECONNECT_REQUIRED,
    reason: 'The sign-in was issued for a different app or tenant (AADSTS700005).',
    fix: START_AGAIN,
  },
  50196: {
    code: MailErrorCode.TRANSIENT,
    reason: 'Microsoft sign-in is temporarily unavailable (AADSTS50196).',
    fix: 'It will be retried automatically.',
  },
};

const TRANSIENT_MEANING: Meaning = {
  code: MailErrorCode.TRANSIENT,
  reason: "Microsoft's sign-in service could not be reached or is temporarily unavailable.",
  fix: "It will be retried automatically; if it persists, check the server's network access and the cloud settings.",
};

/** OAuth `error` values (RFC 6749 §5.2 plus Microsoft's own) and MSAL error codes when no AADSTS code is present. */
const BY_ERROR: Record<string, Meaning> = {
  invalid_client: {
    code: MailErrorCode.ADMIN_CONFIGURATION,
    reason: "Microsoft rejected the app's credentials.",
    fix: 'Check the Client ID and client secret in the email settings.',
  },
  unauthorized_client: {
    code: MailErrorCode.ADMIN_CONFIGURATION,
    reason: 'Microsoft does not allow this app to sign in here.',
    fix: 'Check the Client ID, the tenant and the cloud in the email settings.',
  },
  invalid_tenant: BY_AADSTS[90002],
  invalid_grant: {
    code: MailErrorCode.RECONNECT_REQUIRED,
    reason: 'Microsoft no longer accepts the saved sign-in for this mailbox.',
    fix: RECONNECT_FIX,
  },
  interaction_required: {
    code: MailErrorCode.RECONNECT_REQUIRED,
    reason: 'Microsoft needs you to sign in again.',
    fix: RECONNECT_FIX,
  },
  login_required: BY_AADSTS[50058],
  consent_required: BY_AADSTS[65001],
  access_denied: {
    code: MailErrorCode.ACCESS_DENIED,
    reason: 'The Microsoft sign-in was cancelled or the permissions were declined, so no mailbox was connected.',
    fix: 'Connect again and accept the permissions to read and send mail.',
  },
  temporarily_unavailable: TRANSIENT_MEANING,
  server_error: TRANSIENT_MEANING,
  // MSAL's own codes: a failed fetch, or the authority's metadata could not be loaded.
  network_error: TRANSIENT_MEANING,
  endpoints_resolution_error: TRANSIENT_MEANING,
  // MSAL found no account or refresh token in the stored cache.
  no_account_in_silent_request: {
    code: MailErrorCode.RECONNECT_REQUIRED,
    reason: 'The saved sign-in for this mailbox is missing.',
    fix: RECONNECT_FIX,
  },
  no_tokens_found: {
    code: MailErrorCode.RECONNECT_REQUIRED,
    reason: 'The saved sign-in for this mailbox is missing.',
    fix: RECONNECT_FIX,
  },
  state_mismatch: {
    code: MailErrorCode.INVALID_STATE,
    reason: 'The sign-in response does not belong to this sign-in.',
    fix: START_AGAIN,
  },
  invalid_state: {
    code: MailErrorCode.INVALID_STATE,
    reason: 'The sign-in response does not belong to this sign-in.',
    fix: START_AGAIN,
  },
  nonce_mismatch: {
    code: MailErrorCode.INVALID_STATE,
    reason: 'The sign-in response does not belong to this sign-in.',
    fix: START_AGAIN,
  },
  untrusted_authority: {
    code: MailErrorCode.ADMIN_CONFIGURATION,
    reason: 'The sign-in authority in the email settings is not valid.',
    fix: 'Check the cloud and authority host in the email settings (https hosts only).',
  },
  authority_uri_insecure: {
    code: MailErrorCode.ADMIN_CONFIGURATION,
    reason: 'The sign-in authority must use https.',
    fix: 'Check the authority host in the email settings.',
  },
  url_parse_error: {
    code: MailErrorCode.ADMIN_CONFIGURATION,
    reason: 'The sign-in authority in the email settings is not a valid address.',
    fix: 'Check the authority host and tenant in the email settings.',
  },
};

/** MSAL `subError` values (Microsoft's `suberror`) that all mean "the user must sign in interactively". */
const INTERACTION_SUBERRORS = new Set([
  'basic_action',
  'additional_action',
  'message_only',
  'consent_required',
  'user_password_expired',
  'bad_token',
]);

/** The fields classification needs, from an MSAL error, a token-endpoint JSON body or a redirect's query. */
interface ErrorFacts {
  error?: string;
  subError?: string;
  aadsts?: number;
  status?: number;
  description?: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

function factsOf(err: unknown): ErrorFacts {
  if (!err || typeof err !== 'object') return { description: typeof err === 'string' ? err : undefined };
  const e = err as Record<string, unknown>;
  const description = str(e.errorMessage) ?? str(e.error_description) ?? str(e.description) ?? str(e.message);
  const errorNo = Number(e.errorNo ?? (Array.isArray(e.error_codes) ? e.error_codes[0] : undefined));
  const fromText = /AADSTS(\d+)/.exec(description ?? '');
  return {
    error: str(e.errorCode) ?? str(e.error),
    subError: str(e.subError) ?? str(e.suberror),
    aadsts: Number.isFinite(errorNo) && errorNo > 0 ? errorNo : fromText ? Number(fromText[1]) : undefined,
    status: typeof e.status === 'number' ? e.status : typeof e.httpStatus === 'number' ? e.httpStatus : undefined,
    description,
  };
}

/** Microsoft's own sentence, without the trace/correlation lines it appends (they help nobody on screen). */
export function firstSentence(description: string | undefined): string | undefined {
  if (!description) return undefined;
  const body = /Description:\s*([\s\S]*?)(?: - Correlation ID:|$)/.exec(description)?.[1] ?? description;
  const line = body.split(/\r?\n/)[0].trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function meaningOf(f: ErrorFacts): Meaning | undefined {
  if (f.aadsts !== undefined && BY_AADSTS[f.aadsts]) return BY_AADSTS[f.aadsts];
  if (f.status !== undefined && (f.status >= 500 || f.status === 429)) return TRANSIENT_MEANING;
  if (f.subError && INTERACTION_SUBERRORS.has(f.subError)) return BY_ERROR.interaction_required;
  if (f.error && BY_ERROR[f.error]) return BY_ERROR[f.error];
  return undefined;
}

/** A request that got no answer in time: our own words name the host and the limit. */
function timedOut(f: ErrorFacts): Meaning | undefined {
  if (f.error !== REQUEST_TIMEOUT || !f.description) return undefined;
  return { code: MailErrorCode.TRANSIENT, reason: f.description.split(/\r?\n/)[0], fix: TRANSIENT_MEANING.fix };
}

/**
 * Classifies anything Microsoft identity or MSAL throws (or sends back on the redirect) into a MailError whose
 * message says what happened and what to do. Pure, never throws; the original error is kept as `cause`.
 */
export function parseMicrosoftError(err: unknown): MailError {
  if (err instanceof MailError) return err;
  const facts = factsOf(err);
  const providerCode = facts.aadsts !== undefined ? `AADSTS${facts.aadsts}` : facts.error;
  const meaning = timedOut(facts) ?? meaningOf(facts);
  if (meaning) {
    return new MailError(meaning.code, `${meaning.reason} ${meaning.fix}`, {
      cause: err,
      providerCode,
      reason: meaning.reason,
    });
  }
  const said = firstSentence(facts.description);
  const reason = said
    ? `Microsoft refused the request: ${said}`
    : 'Microsoft refused the request for an unknown reason.';
  return new MailError(MailErrorCode.PROVIDER_ERROR, reason, { cause: err, providerCode, reason });
}
