import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildPlugin } from '../build';
import { withFileLock } from './file-lock';

export const ROOT = path.resolve(__dirname, '../..');
export const PACKAGE_NAME: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).name;

/** Builds the plugin and packs it exactly as it would be published; returns the tarball's path. */
export async function buildAndPack(destination: string): Promise<string> {
  return withFileLock(path.join(ROOT, '.app-cache', 'build.lock'), async () => {
    await buildPlugin();
    fs.mkdirSync(destination, { recursive: true });
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination, '--loglevel=error'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const [{ filename }] = JSON.parse(out);
    return path.join(destination, filename);
  });
}

/**
 * Unpacks the tarball where NocoBase's plugin manager keeps uploaded plugins (<storage>/plugins/<name>).
 * A real copy, never a link to this repository: a link would load the repository's own @nocobase/server.
 */
export function installTarball(tarball: string, storageDir: string): string {
  const target = path.join(storageDir, 'plugins', PACKAGE_NAME);
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  return target;
}
