import { portBaseFromEnv } from '../mail-stack/ports';
import { startMailStack, stopMailStack } from '../mail-stack/stack';

/**
 * For suites that take servers down on purpose (stop Postfix, kill Dovecot): a mail stack of their own for the
 * file, so tests running beside them in the other jest worker never meet those outages. Call at the top of the
 * file, before any other hook: every `getStack()` in the file then returns this stack.
 */
/** Names the private stack the file is on; unset while it is on the run's shared stack. */
const PRIVATE_STACK_OWNER = 'MAILSTACK_PRIVATE';

/**
 * Called by every helper that takes a server down: on the shared stack the outage would break whatever the other
 * jest worker is doing at that moment (a send failing there for no reason of its own).
 */
export function assertPrivateMailStack(what: string): void {
  const owner = process.env[PRIVATE_STACK_OWNER];
  if (!owner || owner !== process.env.MAILSTACK_NAME) {
    throw new Error(`${what} needs a mail stack of the file's own: call usePrivateMailStack() at the top of the file.`);
  }
}

export function usePrivateMailStack(label: string) {
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  const name = `${label}-w${worker}`;
  const saved = {
    name: process.env.MAILSTACK_NAME,
    stack: process.env.MAILSTACK,
    owner: process.env[PRIVATE_STACK_OWNER],
  };

  beforeAll(async () => {
    // 1,300 above the run's own stack (24300 → 25600), clear of the sandbox (24400) and the bench (24800); a run
    // beside it on another MAILSTACK_PORT_BASE gets private stacks of its own too. 10 ports per worker.
    const stack = await startMailStack({ name, portBase: portBaseFromEnv() + 1300 + worker * 10 });
    process.env.MAILSTACK_NAME = name;
    process.env.MAILSTACK = JSON.stringify(stack);
    process.env[PRIVATE_STACK_OWNER] = name;
  }, 60_000);

  afterAll(async () => {
    await stopMailStack(name);
    const restore = (key: string, value: string | undefined) => {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    };
    restore('MAILSTACK_NAME', saved.name);
    restore('MAILSTACK', saved.stack);
    restore(PRIVATE_STACK_OWNER, saved.owner);
  });
}
