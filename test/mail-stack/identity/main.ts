import fs from 'node:fs';
import { startIdentityServer, IdentityServerOptions } from './server';

/**
 * Process entry: `node --import tsx identity/main.ts <options.json>`. Runs detached
 * from the stack's starter so a sandbox keeps its identity server after the CLI exits.
 */
async function main() {
  const file = process.argv[2];
  if (!file) throw new Error('usage: main.ts <options.json>');
  const opts: IdentityServerOptions = JSON.parse(fs.readFileSync(file, 'utf8'));
  const server = await startIdentityServer(opts);
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`identity: listening on ${server.issuerBase} and http://127.0.0.1:${server.httpPort}\n`);
}

main().catch((err) => {
  process.stderr.write(`identity: ${err.stack || err}\n`);
  process.exit(1);
});
