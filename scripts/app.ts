/**
 * `npm run app`: a real NocoBase 2.2 app with this plugin built, installed from its tarball and enabled,
 * served at http://127.0.0.1:13000 until Ctrl+C. Everything it creates lives in .app/ (git-ignored).
 */
import { ADMIN } from './app/app-folder';
import { describeInstance, startServer } from './app/instance';
import { parseAppOptions } from './app/options';
import { APP_DIR, prepareApp } from './app/prepare';
import {
  provisionSandbox,
  SANDBOX_PASSWORD,
  SANDBOX_USERS,
  sandboxEnvironment,
  startSandboxStack,
} from './app/sandbox';
import { ensureMachine } from './machine';

async function main() {
  const options = parseAppOptions(process.argv.slice(2));
  const started = Date.now();
  // The sandbox runs the local mail stack: installed here first where this process may, else named.
  if (options.sandbox) ensureMachine({ mailStack: true, postgres: false, browser: false });
  const stack = options.sandbox ? await startSandboxStack(describeInstance(APP_DIR, options)) : null;
  const { instance, timings } = await prepareApp(options, stack ? sandboxEnvironment(stack) : {});
  if (!options.start) {
    console.log(`prepared ${instance.name} in ${Date.now() - started} ms`, timings);
    return;
  }
  const app = await startServer(instance);
  if (stack) await provisionSandbox(instance, stack);
  console.log(`
NocoBase with ${'@mailbridge/plugin-email-manager'} is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)
  URL:    ${instance.url}
  Login:  ${ADMIN.email} / ${ADMIN.password}
  Logs:   ${instance.logPath}
Press Ctrl+C to stop.`);
  if (stack) {
    console.log(`
Sandbox: the mail settings point at the local Outlook stand-in (${stack.authorityUrl}).
  Users:  ${SANDBOX_USERS.map((u) => u.email).join(', ')} (NocoBase password ${SANDBOX_PASSWORD})
  Sign in to NocoBase as one of them, open Email, click "Connect Outlook" and type the same address on the
  stand-in's sign-in page. Mail between the users is delivered for real through Postfix and Dovecot.`);
  }
  const shutdown = async () => {
    await app.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  app.process.on('exit', (code) => {
    console.error(`NocoBase exited (${code}); see ${instance.logPath}`);
    process.exit(code ?? 1);
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
