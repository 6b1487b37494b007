/**
 * Builds the installable plugin into dist/ the way a NocoBase 2.x app expects it:
 * - dist/server/** and dist/shared/**: CommonJS, one file per source, so the app can import collections/ itself;
 * - dist/node_modules/**: the server's runtime libraries, because an app installs a plugin without running npm;
 * - dist/client/index.js: one AMD module named after the package, host libraries left to the app's requirejs;
 * - dist/externalVersion.js and dist/locale/*.json.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { copyRuntimeDependencies } from './build/runtime-dependencies';
import { HOST_PROVIDED_CLIENT_MODULES, isHostProvided } from './build/host-modules';

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

function listSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__tests__' ? [] : listSources(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

async function buildServer() {
  await build({
    entryPoints: [...listSources(path.join(root, 'src/server')), ...listSources(path.join(root, 'src/shared'))],
    outdir: dist,
    outbase: path.join(root, 'src'),
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: false,
    logLevel: 'warning',
  });
}

async function buildClient(): Promise<string[]> {
  const result = await build({
    entryPoints: [path.join(root, 'src/client/index.tsx')],
    bundle: true,
    write: false,
    metafile: true,
    format: 'cjs',
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    minify: true,
    external: [...HOST_PROVIDED_CLIENT_MODULES, '@formily/*'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  const imported = new Set<string>();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imp of input.imports) if (imp.external) imported.add(imp.path);
  }
  const externals = [...imported].filter(isHostProvided).sort();
  const code = result.outputFiles[0].text;
  // NocoBase's client loads plugins with requirejs: an AMD module named after the package whose factory
  // receives a CommonJS-style require for the modules the host has already defined.
  const deps = ['require', 'exports', 'module', ...externals].map((d) => JSON.stringify(d)).join(',');
  const amd = `define(${JSON.stringify(pkg.name)},[${deps}],function(require,exports,module){${code}\n});\n`;
  fs.mkdirSync(path.join(dist, 'client'), { recursive: true });
  fs.writeFileSync(path.join(dist, 'client/index.js'), amd);
  return externals;
}

function hostVersion(moduleName: string): string {
  const name = moduleName.startsWith('@') ? moduleName.split('/').slice(0, 2).join('/') : moduleName.split('/')[0];
  // The app provides @nocobase/client; it is not installable here, so record the NocoBase line we build against.
  if (name.startsWith('@nocobase/')) return pkg.devDependencies['@nocobase/server'];
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return pkg.devDependencies[name] ?? '*';
  }
}

function writeExternalVersions(clientExternals: string[]) {
  const versions: Record<string, string> = {};
  for (const name of clientExternals) versions[name] = hostVersion(name);
  versions['@nocobase/server'] = pkg.devDependencies['@nocobase/server'];
  fs.writeFileSync(path.join(dist, 'externalVersion.js'), `module.exports = ${JSON.stringify(versions, null, 2)};\n`);
}

function copyLocales() {
  const from = path.join(root, 'src/locale');
  fs.mkdirSync(path.join(dist, 'locale'), { recursive: true });
  for (const file of fs.readdirSync(from)) fs.copyFileSync(path.join(from, file), path.join(dist, 'locale', file));
}

export async function buildPlugin() {
  const started = Date.now();
  fs.rmSync(dist, { recursive: true, force: true });
  await buildServer();
  const clientExternals = await buildClient();
  writeExternalVersions(clientExternals);
  copyLocales();
  const copied = copyRuntimeDependencies(root, Object.keys(pkg.dependencies ?? {}), path.join(dist, 'node_modules'));
  console.log(`built ${pkg.name} in ${Date.now() - started} ms (${copied} runtime packages in dist/node_modules)`);
}

if (require.main === module) {
  buildPlugin().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
