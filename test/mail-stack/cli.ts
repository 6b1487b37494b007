/**
 * Command line for the local mail stack:
 *   npx tsx test/mail-stack/cli.ts start  [--name sandbox] [--port-base 24400] [--fresh]
 *                                         [--client-id ID --client-secret S --redirect-uri URL ...]
 *   npx tsx test/mail-stack/cli.ts stop   [--name sandbox]
 *   npx tsx test/mail-stack/cli.ts status [--name sandbox]
 *   npx tsx test/mail-stack/cli.ts seed   [--name sandbox] --email a@example.test [--email ...] [--count 200] [--months 6]
 *   npx tsx test/mail-stack/cli.ts ca
 * `start`, `status` and `seed` print JSON on stdout (the MailStack for start); messages go to stderr.
 */
import { parseArgs } from 'node:util';
import { ensureTestCa } from './ca';
import { SANDBOX_APP } from './identity/default-app';
import { seedMailbox } from './seed';
import { mailStackStatus, startMailStack, stopMailStack } from './stack';

const USAGE = 'usage: cli.ts <start|stop|status|seed|ca> [--name NAME] [--port-base N] [--email ADDR --count N]';

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string', default: 'test' },
      'port-base': { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      email: { type: 'string', multiple: true },
      count: { type: 'string' },
      months: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  const print = (v: unknown) => process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
  const name = values.name!;

  switch (command) {
    case 'start': {
      const started = Date.now();
      const stack = await startMailStack({
        name,
        portBase: values['port-base'] ? Number(values['port-base']) : undefined,
        fresh: values.fresh,
        defaultApp: {
          ...SANDBOX_APP,
          clientId: values['client-id'] ?? SANDBOX_APP.clientId,
          secret: values['client-secret'] ?? SANDBOX_APP.secret,
          redirectUris: values['redirect-uri'] ?? SANDBOX_APP.redirectUris,
        },
      });
      process.stderr.write(`mail stack "${name}" started in ${Date.now() - started} ms\n`);
      return print(stack);
    }
    case 'stop':
      await stopMailStack(name);
      process.stderr.write(`mail stack "${name}" stopped\n`);
      return;
    case 'status': {
      const status = mailStackStatus(name);
      print(status);
      process.exitCode = status.running ? 0 : 3;
      return;
    }
    case 'seed': {
      const status = mailStackStatus(name);
      if (!status.stack) throw new Error(`mail stack "${name}" is not running; start it first`);
      if (!values.email?.length) throw new Error('seed needs --email (repeatable)');
      const results = [];
      for (const email of values.email) {
        results.push(
          await seedMailbox(status.stack, email, {
            count: values.count ? Number(values.count) : undefined,
            months: values.months ? Number(values.months) : undefined,
          }),
        );
      }
      return print(results);
    }
    case 'ca':
      return print(await ensureTestCa());
    default:
      process.stderr.write(`${USAGE}\n`);
      process.exitCode = values.help ? 0 : 2;
  }
}

main().catch((err) => {
  process.stderr.write(`${err.message || err}\n`);
  process.exit(1);
});
