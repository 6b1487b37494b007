/** Exponential backoff with jitter: 2 s, 4 s, 8 s … capped at 5 minutes; a server's own hint wins when longer. */
export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  /** 0..1: share of the delay that is randomised, so many accounts do not retry in step. */
  jitter?: number;
  random?: () => number;
}

export function backoffDelay(failures: number, hintMs: number | undefined, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 2000;
  const max = options.maxMs ?? 5 * 60_000;
  const jitter = options.jitter ?? 0.2;
  const random = options.random ?? Math.random;
  const exp = Math.min(max, base * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  const delay = Math.round(exp * (1 - jitter + jitter * random()));
  return Math.max(delay, hintMs ?? 0);
}

/**
 * When an account stopped by a failure that needs someone to act (a rotated client secret, a folder the server
 * refuses) is tried again by itself: 15 min after the first such failure, doubling up to every 6 hours, so a fix
 * made without telling anyone is picked up within hours and a lasting fault costs a few logins a day.
 */
export const RECOVERY_BACKOFF: Required<Pick<BackoffOptions, 'baseMs' | 'maxMs'>> = {
  baseMs: 15 * 60_000,
  maxMs: 6 * 3_600_000,
};

export function recoveryDelay(failures: number, options: BackoffOptions = {}): number {
  return backoffDelay(failures, undefined, { ...RECOVERY_BACKOFF, ...options });
}
