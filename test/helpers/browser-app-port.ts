import { portBaseFromEnv } from '../mail-stack/ports';

/**
 * The port of a real NocoBase app a browser test starts, beside the run's mail stack (whose private stacks sit
 * 1,300–1,400 above its base): two runs on different MAILSTACK_PORT_BASE never answer each other's browser.
 */
export function browserAppPort(slot: 'plugin' | 'mailbox'): number {
  return portBaseFromEnv() + 1500 + (slot === 'plugin' ? 0 : 10);
}
