/**
 * `npm test`: jest with the local mail stack's test CA trusted. Node reads NODE_EXTRA_CA_CERTS only when a
 * process starts, so the CA must exist and be named before jest (and its workers) start. Arguments pass to jest.
 * A fresh machine is set up first where this process may (see machine.ts), else the message says how.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureTestCa } from '../test/mail-stack/ca';
import { ensureMachine, wantsLocalPostgres } from './machine';

async function main() {
  ensureMachine({ mailStack: true, postgres: wantsLocalPostgres(), browser: true });
  const { caPath } = await ensureTestCa();
  const jest = path.resolve(__dirname, '../node_modules/jest/bin/jest.js');
  const result = spawnSync(process.execPath, [jest, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath },
  });
  process.exit(result.status ?? 1);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
