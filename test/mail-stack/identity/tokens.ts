import { randomBytes, randomUUID } from 'node:crypto';
import type { AppRegistration } from './apps';
import type { DirectoryUser } from './directory';
import { signJwt, SigningKey } from './jwt';

const rand = (bytes: number) => randomBytes(bytes).toString('base64url');
const seconds = (ms: number) => Math.floor(ms / 1000);

export function clientInfo(user: DirectoryUser) {
  return Buffer.from(JSON.stringify({ uid: user.oid, utid: user.tid })).toString('base64url');
}

/** v2.0 ID token, the claims MSAL turns into an AccountInfo. */
export function mintIdToken(
  key: SigningKey,
  o: {
    issuerBase: string;
    user: DirectoryUser;
    clientId: string;
    nonce?: string;
    oidc: Set<string>;
    now: number;
  },
) {
  const { user } = o;
  const claims: Record<string, unknown> = {
    aud: o.clientId,
    iss: `${o.issuerBase}/${user.tid}/v2.0`,
    iat: seconds(o.now),
    nbf: seconds(o.now),
    exp: seconds(o.now) + 3600,
    aio: rand(96),
    name: user.name,
    oid: user.oid,
    preferred_username: user.email,
    rh: `1.A${rand(60)}.`,
    sid: randomUUID(),
    sub: rand(32),
    tid: user.tid,
    uti: rand(16),
    ver: '2.0',
  };
  if (o.oidc.has('email')) claims.email = user.email;
  if (o.nonce) claims.nonce = o.nonce;
  return signJwt(key, claims);
}

/**
 * A delegated access token in the v1 shape Exchange Online issues: the same claim
 * set, so it is as long as the real ones (2–3.5 KB). Length matters: it decides
 * whether the XOAUTH2 line fits the server's limits (Postfix line_length_limit).
 */
export function mintUserAccessToken(
  key: SigningKey,
  o: {
    user: DirectoryUser;
    app: AppRegistration;
    resource: string;
    permissions: string[];
    now: number;
    lifetime: number;
    uti: string;
  },
) {
  const { user, app } = o;
  const iat = seconds(o.now);
  return signJwt(key, {
    aud: o.resource,
    iss: `https://sts.windows.net/${user.tid}/`,
    iat,
    nbf: iat,
    exp: iat + o.lifetime,
    acct: 0,
    acr: '1',
    aio: rand(160),
    amr: ['pwd', 'mfa'],
    app_displayname: app.displayName,
    appid: app.clientId,
    appidacr: '1',
    enfpolicyids: [randomUUID()],
    family_name: user.familyName,
    given_name: user.givenName,
    idtyp: 'user',
    ipaddr: '127.0.0.1',
    name: user.name,
    oid: user.oid,
    puid: randomBytes(8).toString('hex').toUpperCase(),
    rh: `1.A${rand(90)}.`,
    scp: o.permissions.join(' '),
    sid: randomUUID(),
    signin_state: ['kmsi'],
    smtp: user.email,
    sub: rand(32),
    tid: user.tid,
    unique_name: user.email,
    upn: user.email,
    uti: o.uti,
    ver: '1.0',
    wids: ['b79fbf4d-3ef9-4689-8143-76b194e85509'],
    xms_cc: ['CP1'],
    xms_ftd: rand(48),
    xms_idrel: '1 22',
    xms_st: { sub: rand(32) },
    xms_tcdt: 1600000000,
    xms_tdbr: 'EU',
  });
}

/** App-only token from client_credentials: no user, `roles` instead of `scp`. */
export function mintAppAccessToken(
  key: SigningKey,
  o: { app: AppRegistration; tid: string; resource: string; now: number; lifetime: number; uti: string },
) {
  const iat = seconds(o.now);
  return signJwt(key, {
    aud: o.resource,
    iss: `https://sts.windows.net/${o.tid}/`,
    iat,
    nbf: iat,
    exp: iat + o.lifetime,
    aio: rand(120),
    app_displayname: o.app.displayName,
    appid: o.app.clientId,
    appidacr: '1',
    idp: `https://sts.windows.net/${o.tid}/`,
    idtyp: 'app',
    oid: randomUUID(),
    rh: `1.A${rand(90)}.`,
    roles: [],
    sub: randomUUID(),
    tid: o.tid,
    uti: o.uti,
    ver: '1.0',
  });
}
