/**
 * `npm test`: jest with the local mail stack's test CA trusted. Node reads NODE_EXTRA_CA_CERTS only when a
 * process starts, so the CA must exist and be named before jest (and its workers) start. Arguments pass to jest.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureTestCa } from '../test/mail-stack/ca';

async function main() {
  const { caPath } = await ensureTestCa();
  const jest = path.resolve(__dirname, '../node_modules/jest/bin/jest.js');
  const result = spawnSync(process.execPath, [jest, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath },
  });
  process.exit(result.status ?? 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
