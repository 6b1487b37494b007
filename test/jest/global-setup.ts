/**
 * Starts the local mail stack (identity stand-in, Dovecot, Postfix) once per jest
 * run. Workers find it through MAILSTACK (JSON) and `.mailstack/test/stack.json`;
 * `test/mail-stack/client.ts` reads either.
 */
import { ensureTestCa } from '../mail-stack/ca';
import { mailStackStatus, startMailStack } from '../mail-stack/stack';

export default async function globalSetup() {
  const { caPath } = await ensureTestCa();
  if (process.env.NODE_EXTRA_CA_CERTS !== caPath) {
    // Node reads the variable only at startup, so it cannot be fixed from here.
    console.warn(
      `\nmail stack: NODE_EXTRA_CA_CERTS is not ${caPath}; run tests with \`npm test\` so MSAL trusts the identity stand-in.`,
    );
  }
  // Two runs at once (say, two checkouts' suites) need their own MAILSTACK_NAME and
  // MAILSTACK_PORT_BASE: starting a stack stops whatever ran under the same name.
  const name = process.env.MAILSTACK_NAME || 'test';
  // MAILSTACK_REUSE=1 keeps a stack started by `cli.ts start` (faster watch loops).
  const running = mailStackStatus(name);
  const stack =
    process.env.MAILSTACK_REUSE === '1' && running.running && running.stack
      ? running.stack
      : await startMailStack({ name, fresh: true });
  process.env.MAILSTACK = JSON.stringify(stack);
}
