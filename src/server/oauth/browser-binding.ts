import { createHash, randomBytes } from 'node:crypto';

/**
 * A random per-browser value in an httpOnly cookie, its hash stored with each sign-in state. A sign-in can then only
 * be finished in the browser that started it (RFC 6749 §10.12: bind `state` to the user agent), so a state link
 * passed to someone else, or completed in another user's session, is refused.
 */
export const BINDING_COOKIE_PREFIX = 'mailbridge_oauth';
const VALUE = /^[A-Za-z0-9_-]{43}$/;

export function bindingCookieName(appName: string): string {
  return `${BINDING_COOKIE_PREFIX}_${appName}`;
}

/** Keeps a well-formed existing value (parallel sign-ins in one browser keep working), else makes a new one. */
export function browserBindingFrom(existing: string | undefined): string {
  return existing && VALUE.test(existing) ? existing : randomBytes(32).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
