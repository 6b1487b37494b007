import { stopMailStack } from '../mail-stack/stack';

export default async function globalTeardown() {
  if (process.env.MAILSTACK_REUSE === '1') return;
  await stopMailStack(process.env.MAILSTACK_NAME || 'test');
}
