export const DEFAULT_PORT_BASE = 24300;

/**
 * Every listener sits at a fixed offset from one base, so a stack's address is
 * predictable (MSAL caches accounts under the authority's host:port) and two
 * stacks (tests, sandbox) can run side by side on different bases.
 */
export function portsFor(base: number) {
  return {
    identityHttps: base + 0,
    identityHttp: base + 1,
    imaps: base + 3,
    lmtp: base + 4,
    smtpInbound: base + 5,
    dovecotAuth: base + 6,
    submission: base + 7,
    imapsOutlook: base + 8,
  };
}

export type StackPorts = ReturnType<typeof portsFor>;

export function portBaseFromEnv(): number {
  const raw = process.env.MAILSTACK_PORT_BASE;
  if (!raw) return DEFAULT_PORT_BASE;
  const base = Number(raw);
  if (!Number.isInteger(base) || base < 1024 || base > 65500) {
    throw new Error(`MAILSTACK_PORT_BASE must be an integer port between 1024 and 65500, got ${raw}`);
  }
  return base;
}
