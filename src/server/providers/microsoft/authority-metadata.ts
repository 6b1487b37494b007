import { MailError, MailErrorCode } from '../../errors/mail-error';
import { parseMicrosoftError } from './parse-microsoft-error';

const TIMEOUT_MS = 10_000;
/** Microsoft's endpoints for a tenant change rarely; MSAL itself caches them for a day. */
const TTL_MS = 60 * 60_000;

const memo = new Map<string, { metadata: string; expires: number }>();

/**
 * The tenant's OpenID configuration, fetched once per hour per authority and handed to MSAL as `authorityMetadata`.
 * MSAL keeps it only inside one client, and the plugin builds a client per operation: without this, every
 * `getAccessToken` would fetch it again, and a token still valid in the cache would be refused whenever the
 * sign-in host is unreachable.
 */
export async function authorityMetadata(authority: string, options: { fresh?: boolean } = {}): Promise<string> {
  const hit = memo.get(authority);
  if (hit && hit.expires > Date.now() && !options.fresh) return hit.metadata;

  const host = new URL(authority).host;
  let res: Response;
  try {
    res = await fetch(`${authority}/v2.0/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const reason = `The sign-in host ${host} could not be reached.`;
    throw new MailError(
      MailErrorCode.TRANSIENT,
      `${reason} Check the cloud and authority host settings and the server's network access.`,
      {
        cause: err,
        reason,
        owner: 'admin',
      },
    );
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  // An unknown tenant answers 400 with AADSTS90002 here, which MSAL would only report as endpoints_resolution_error.
  if (!res.ok) throw parseMicrosoftError({ ...body, status: res.status });
  if (
    typeof body.token_endpoint !== 'string' ||
    typeof body.authorization_endpoint !== 'string' ||
    typeof body.issuer !== 'string'
  ) {
    throw new MailError(
      MailErrorCode.ADMIN_CONFIGURATION,
      `${host} does not publish a Microsoft identity configuration. Check the authority host.`,
      {
        reason: `${host} does not behave like Microsoft identity.`,
      },
    );
  }
  const metadata = JSON.stringify(body);
  memo.set(authority, { metadata, expires: Date.now() + TTL_MS });
  return metadata;
}
