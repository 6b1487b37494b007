import { portBaseFromEnv } from '../mail-stack/ports';

const SLOT_OFFSET = { plugin: 0, mailbox: 10, workflow: 20, emailsBlock: 30, sendEmail: 40, modernPage: 50 } as const;

/**
 * The port of a real NocoBase app a browser test starts, beside the run's mail stack (whose private stacks sit
 * 1,300–1,400 above its base): two runs on different MAILSTACK_PORT_BASE never answer each other's browser.
 */
export function browserAppPort(slot: keyof typeof SLOT_OFFSET): number {
  return portBaseFromEnv() + 1500 + SLOT_OFFSET[slot];
}
