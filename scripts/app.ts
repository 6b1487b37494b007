/**
 * `npm run app`: a real NocoBase 2.2 app with this plugin built, installed from its tarball and enabled,
 * served at http://127.0.0.1:13000 until Ctrl+C. Everything it creates lives in .app/ (git-ignored).
 */
import { ADMIN } from './app/app-folder';
import { startServer } from './app/instance';
import { parseAppOptions } from './app/options';
import { prepareApp } from './app/prepare';

async function main() {
  const options = parseAppOptions(process.argv.slice(2));
  const started = Date.now();
  const { instance, timings, firstRun } = await prepareApp(options);
  if (!options.start) {
    console.log(`prepared ${instance.name} in ${Date.now() - started} ms`, timings);
    return;
  }
  const app = await startServer(instance, { dbSync: !firstRun });
  console.log(`
NocoBase with ${'@mailbridge/plugin-email-manager'} is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)
  URL:    ${instance.url}
  Login:  ${ADMIN.email} / ${ADMIN.password}
  Logs:   ${instance.logPath}
Press Ctrl+C to stop.`);
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
