import { createHash } from 'node:crypto';

/** The tenant every `@example.test` user belongs to when signing in through a shared endpoint. */
export const EXAMPLE_TENANT_ID = deterministicGuid('tenant:example.test');

/** Microsoft's fixed tenant id for personal accounts. */
export const CONSUMERS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

export const USER_DOMAIN = 'example.test';

const SHARED_SEGMENTS = new Set(['common', 'organizations', 'consumers']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Stable ids: a sandbox account keeps its home account id across stack restarts. */
export function deterministicGuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function isSharedSegment(tenant: string) {
  return SHARED_SEGMENTS.has(tenant.toLowerCase());
}

/**
 * Accepted tenant segments: the shared ones, any GUID (each GUID is a directory that
 * holds every `@example.test` user, so single-tenant apps can pick their own), and
 * the verified domain name itself.
 */
export function isKnownTenant(tenant: string) {
  return isSharedSegment(tenant) || GUID.test(tenant) || tenant.toLowerCase() === USER_DOMAIN;
}

/** The tenant id (`tid`) a user gets when signing in through `segment`. */
export function tenantIdFor(segment: string): string {
  const t = segment.toLowerCase();
  if (t === 'consumers') return CONSUMERS_TENANT_ID;
  if (GUID.test(t)) return t;
  return EXAMPLE_TENANT_ID;
}

export function isUserLogin(login: string) {
  return /^[^@\s"<>]+@example\.test$/i.test(login);
}

export interface DirectoryUser {
  email: string;
  oid: string;
  tid: string;
  name: string;
  givenName: string;
  familyName: string;
}

export function userFor(email: string, tid: string): DirectoryUser {
  const lower = email.toLowerCase();
  const local = lower.split('@')[0];
  const words = local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1));
  const givenName = words[0] || local;
  const familyName = words.slice(1).join(' ') || 'Tester';
  return {
    email: lower,
    oid: deterministicGuid(`user:${tid}:${lower}`),
    tid,
    name: `${givenName} ${familyName}`,
    givenName,
    familyName,
  };
}
