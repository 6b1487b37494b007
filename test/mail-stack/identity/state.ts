import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Grant } from './scopes';

export interface AuthCode {
  clientId: string;
  redirectUri: string;
  email: string;
  tid: string;
  grant: Grant;
  /** OpenID scopes consented with the grant (decide id_token and refresh token). */
  oidc: string[];
  requestedScope: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  issuedAt: number;
  expiresAt: number;
  redeemed: boolean;
}

export interface RefreshGrant {
  clientId: string;
  email: string;
  tid: string;
  grant: Grant;
  oidc: string[];
  issuedAt: number;
  /** Set when the token was exchanged for a newer one. */
  usedAt?: number;
}

export interface ForcedError {
  error: string;
  description: string;
  errorCodes?: number[];
  suberror?: string;
  status?: number;
  match?: { email?: string; clientId?: string; grantType?: string };
}

export interface Outage {
  email?: string;
  clientId?: string;
  /** Answer with this HTTP status (Microsoft-shaped 5xx body) instead of dropping the connection. */
  status?: number;
  /** Accept the request and never answer: a stalled sign-in service, which only a client timeout ends. */
  hang?: boolean;
}

export interface TokenCall {
  at: number;
  grantType: string;
  clientId?: string;
  email?: string;
}

export interface IdentitySettings {
  accessTokenLifetimeSeconds: number;
  codeLifetimeSeconds: number;
  /**
   * Microsoft lets a refresh token be redeemed again after it was rotated (until it
   * expires); code that stores only the first one keeps working for weeks and then
   * dies. `true` rejects reuse right away so tests can catch that early.
   */
  singleUseRefreshTokens: boolean;
}

const RT_MAX_AGE_MS = 90 * 86400_000;

/** Opaque values shaped like Microsoft's (`1.A...`, about as long), random underneath. */
export function opaqueToken(prefix: string, bytes: number) {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

/**
 * Everything the identity stand-in remembers. Refresh grants and revocations are
 * written to the state dir so a restarted sandbox keeps its connected accounts;
 * codes and counters live only in memory.
 */
export class IdentityState {
  codes = new Map<string, AuthCode>();
  refreshTokens = new Map<string, RefreshGrant>();
  /** email → ms; grants and tokens issued before are revoked (TokensValidFrom). */
  revokedAt = new Map<string, number>();
  /** email ('*' for all) → ms; access tokens issued before are treated as expired. */
  expiredBefore = new Map<string, number>();
  /** access token uti → issue time in ms (iat has only second precision). */
  issuedAccessTokens = new Map<string, number>();
  forcedErrors: ForcedError[] = [];
  calls: TokenCall[] = [];
  /** Outages: for everyone (no email/clientId) or only for one user's or app's requests. */
  outages: Outage[] = [];
  settings: IdentitySettings = {
    accessTokenLifetimeSeconds: 3599,
    codeLifetimeSeconds: 600,
    singleUseRefreshTokens: false,
  };

  constructor(private file?: string) {
    if (file && fs.existsSync(file)) {
      try {
        const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
        this.refreshTokens = new Map(Object.entries(saved.refreshTokens || {}));
        this.revokedAt = new Map(Object.entries(saved.revokedAt || {}));
      } catch {
        // A torn file from a killed process: start over rather than refuse to start.
      }
    }
  }

  save() {
    if (!this.file) return;
    const now = Date.now();
    for (const [rt, g] of this.refreshTokens) if (now - g.issuedAt > RT_MAX_AGE_MS) this.refreshTokens.delete(rt);
    const data = JSON.stringify({
      refreshTokens: Object.fromEntries(this.refreshTokens),
      revokedAt: Object.fromEntries(this.revokedAt),
    });
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(`${this.file}.tmp`, data);
    fs.renameSync(`${this.file}.tmp`, this.file);
  }

  isRevoked(email: string, issuedAt: number) {
    const at = this.revokedAt.get(email.toLowerCase());
    return at !== undefined && issuedAt < at;
  }

  isForcedExpired(email: string, issuedAt: number) {
    const user = this.expiredBefore.get(email.toLowerCase());
    const all = this.expiredBefore.get('*');
    return (user !== undefined && issuedAt < user) || (all !== undefined && issuedAt < all);
  }

  setOutage(down: boolean, o: Outage) {
    const same = (x: Outage) =>
      (x.email ?? '') === (o.email?.toLowerCase() ?? '') && (x.clientId ?? '') === (o.clientId ?? '');
    this.outages = this.outages.filter((x) => !same(x));
    if (down)
      this.outages.push({ email: o.email?.toLowerCase(), clientId: o.clientId, status: o.status, hang: o.hang });
  }

  /** The outage that covers a request about this user/app, if any (a global one covers all). */
  outageFor(who: { email?: string; clientId?: string } = {}): Outage | undefined {
    return this.outages.find(
      (x) =>
        (!x.email && !x.clientId) ||
        (!!x.email && x.email === who.email?.toLowerCase()) ||
        (!!x.clientId && x.clientId === who.clientId),
    );
  }

  takeForcedError(call: TokenCall): ForcedError | undefined {
    const i = this.forcedErrors.findIndex(
      ({ match = {} }) =>
        (!match.email || match.email.toLowerCase() === call.email) &&
        (!match.clientId || match.clientId === call.clientId) &&
        (!match.grantType || match.grantType === call.grantType),
    );
    return i < 0 ? undefined : this.forcedErrors.splice(i, 1)[0];
  }

  countCalls(filter: { email?: string; clientId?: string; grantType?: string }) {
    return this.calls.filter(
      (c) =>
        (!filter.email || c.email === filter.email.toLowerCase()) &&
        (!filter.clientId || c.clientId === filter.clientId) &&
        (!filter.grantType || c.grantType === filter.grantType),
    ).length;
  }

  resetCalls(filter: { email?: string; clientId?: string }) {
    this.calls = this.calls.filter(
      (c) =>
        (filter.email && c.email !== filter.email.toLowerCase()) || (filter.clientId && c.clientId !== filter.clientId),
    );
  }
}
