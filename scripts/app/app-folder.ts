import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The NocoBase app the plugin is installed into: the stock 2.2 distribution, nothing of ours inside. */
const APP_MANIFEST = {
  name: 'mailbridge-dev-app',
  private: true,
  dependencies: { '@nocobase/app': '2.2.15', pg: '^8.13.0', sqlite3: '^5.1.7', yarn: '1.22.22' },
  // @nocobase/ai points xlsx at a CDN tarball this registry cannot serve.
  overrides: { xlsx: '0.18.5' },
};

export const ADMIN = { email: 'admin@nocobase.com', password: 'admin123' };

/** Creates the app folder and installs NocoBase into it once; later runs reuse it unless the manifest changed. */
export function ensureAppFolder(appDir: string) {
  fs.mkdirSync(appDir, { recursive: true });
  const manifest = JSON.stringify(APP_MANIFEST, null, 2) + '\n';
  const hash = crypto.createHash('sha256').update(manifest).digest('hex');
  const stamp = path.join(appDir, 'node_modules', '.mailbridge-manifest');
  const installed = fs.existsSync(path.join(appDir, 'node_modules/.bin/nocobase-v1'));
  if (installed && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return;
  fs.writeFileSync(path.join(appDir, 'package.json'), manifest);
  // @nocobase/app's peers include @nocobase/client 2.x packages this registry lacks; the app ships them prebuilt.
  fs.writeFileSync(path.join(appDir, '.npmrc'), 'legacy-peer-deps=true\n');
  console.log(`installing NocoBase into ${appDir} (first run: a few minutes)…`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: appDir, stdio: 'inherit' });
  fs.writeFileSync(stamp, hash);
}
