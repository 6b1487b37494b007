/**
 * The published tarball is what an app installs, without running npm: it must carry the server's libraries
 * and load them from its own dist/node_modules, and its client bundle must be the AMD module NocoBase expects.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildAndPack, PACKAGE_NAME } from '../../scripts/app/plugin-package';

const RUNTIME_LIBRARIES = ['@azure/msal-node', 'imapflow', 'nodemailer', 'mailparser'];

jest.setTimeout(120_000);

describe('npm pack tarball', () => {
  let unpacked: string;
  let files: string[];

  beforeAll(async () => {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailbridge-pack-'));
    const tarball = await buildAndPack(workDir);
    files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8', maxBuffer: 64 << 20 })
      .trim()
      .split('\n');
    execFileSync('tar', ['-xzf', tarball, '-C', workDir]);
    unpacked = path.join(workDir, 'package');
  });

  it('has the layout a NocoBase app loads', () => {
    for (const file of [
      'package/package.json',
      'package/server.js',
      'package/client.js',
      'package/dist/server/index.js',
      'package/dist/client/index.js',
      'package/dist/externalVersion.js',
      'package/dist/locale/en-US.json',
    ]) {
      expect(files).toContain(file);
    }
    expect(JSON.parse(fs.readFileSync(path.join(unpacked, 'package.json'), 'utf8')).main).toBe('dist/server/index.js');
  });

  it('loads every server library from its own dist/node_modules, outside this repository', () => {
    const script = `
      const from = { paths: [${JSON.stringify(path.join(unpacked, 'dist/server'))}] };
      const found = {};
      for (const name of ${JSON.stringify(RUNTIME_LIBRARIES)}) {
        const file = require.resolve(name, from);
        require(file);
        found[name] = file;
      }
      process.stdout.write(JSON.stringify(found));`;
    // A bare environment: nothing leaks in from this repository's node_modules or NODE_PATH.
    const out = execFileSync(process.execPath, ['-e', script], {
      cwd: os.tmpdir(),
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });
    const found = JSON.parse(out) as Record<string, string>;
    for (const name of RUNTIME_LIBRARIES)
      expect(found[name].startsWith(path.join(unpacked, 'dist/node_modules'))).toBe(true);
  });

  it('ships the client as an AMD module named after the package, host libraries left external', () => {
    const bundle = fs.readFileSync(path.join(unpacked, 'dist/client/index.js'), 'utf8');
    const defined: { name?: string; deps?: string[]; exports?: Record<string, unknown> } = {};
    const hostModules: Record<string, unknown> = {
      react: {},
      'react/jsx-runtime': { jsx: () => null, jsxs: () => null },
    };
    // Evaluate the bundle the way requirejs would, with stand-ins for the host's modules.
    const define = (name: string, deps: string[], factory: (...args: unknown[]) => void) => {
      const module = { exports: {} as Record<string, unknown> };
      const requireHost = (dep: string) => hostModules[dep] ?? { Plugin: class {} };
      factory(requireHost, module.exports, module);
      Object.assign(defined, { name, deps, exports: module.exports });
    };
    new Function('define', bundle)(define);
    expect(defined.name).toBe(PACKAGE_NAME);
    expect(defined.deps).toEqual(
      expect.arrayContaining(['require', 'exports', 'module', '@nocobase/client', 'antd', 'react/jsx-runtime']),
    );
    expect(bundle).not.toMatch(/react-dom\.production|function useState\(/);
    expect(typeof defined.exports?.default).toBe('function');
  });

  it('records the NocoBase version it was built against', () => {
    const versions = JSON.parse(
      execFileSync(process.execPath, ['-p', `JSON.stringify(require('./dist/externalVersion.js'))`], {
        cwd: unpacked,
        encoding: 'utf8',
      }),
    );
    expect(versions['@nocobase/client']).toMatch(/^2\.2\./);
  });
});
