import path from 'node:path';
import { ensureAppFolder } from './app-folder';
import { withFileLock } from './file-lock';
import { describeInstance, Instance, isInstalled, markInstalled, runCli, writeInstanceEnv } from './instance';
import { AppOptions } from './options';
import { buildAndPack, installTarball, PACKAGE_NAME, ROOT } from './plugin-package';

export const APP_DIR = path.join(ROOT, '.app');

/**
 * Everything `npm run app` does before starting the server: the app folder, the instance's settings, a fresh
 * build of the plugin installed from its tarball, a first-time NocoBase install, and the plugin enabled.
 * Idempotent: a second run reuses the app and its data, replaces the plugin and upgrades the app to it.
 */
export function prepareApp(options: AppOptions, extraEnv: Record<string, string> = {}) {
  // One app folder serves every instance: installs, plugin links and upgrades must not interleave.
  return withFileLock(path.join(APP_DIR, '.prepare.lock'), () => prepareLocked(options, extraEnv));
}

async function prepareLocked(options: AppOptions, extraEnv: Record<string, string>) {
  const timings: Record<string, number> = {};
  const time = async <T>(label: string, fn: () => T | Promise<T>): Promise<T> => {
    const started = Date.now();
    const result = await fn();
    timings[label] = Date.now() - started;
    return result;
  };
  const instance: Instance = describeInstance(APP_DIR, options);
  await time('app folder', () => ensureAppFolder(APP_DIR));
  writeInstanceEnv(instance, options, extraEnv);
  const tarball = await time('build + pack', () => buildAndPack(path.join(ROOT, '.app-cache')));
  installTarball(tarball, instance.storageDir);
  const firstRun = !isInstalled(instance);
  await time('postinstall', () => runCli(instance, ['postinstall']));
  if (firstRun) {
    await time('nocobase install', () => runCli(instance, ['install']));
    markInstalled(instance);
  } else {
    // A newer plugin build may bring new collections or migrations; `upgrade` applies them as it would for any
    // plugin update (re-enabling an enabled plugin does not).
    await time('nocobase upgrade', () => runCli(instance, ['upgrade']));
  }
  await time('pm enable', () => runCli(instance, ['pm', 'enable', PACKAGE_NAME]));
  return { instance, timings, firstRun };
}
