import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ADMIN } from './app-folder';
import { AppOptions } from './options';

export interface Instance {
  appDir: string;
  name: string;
  port: number;
  url: string;
  envPath: string;
  storageDir: string;
  logPath: string;
}

export function describeInstance(appDir: string, options: AppOptions): Instance {
  return {
    appDir,
    name: options.instance,
    port: options.port,
    url: `http://127.0.0.1:${options.port}`,
    envPath: path.join(appDir, 'instances', `${options.instance}.env`),
    storageDir: path.join(appDir, 'storage', options.instance),
    logPath: path.join(appDir, 'instances', `${options.instance}.log`),
  };
}

function readKey(file: string): string {
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(32).toString('hex'));
  return fs.readFileSync(file, 'utf8');
}

/** Writes the instance's .env; NocoBase's CLI reads the file named by APP_ENV_PATH. */
export function writeInstanceEnv(instance: Instance, options: AppOptions, extra: Record<string, string> = {}) {
  fs.mkdirSync(path.dirname(instance.envPath), { recursive: true });
  fs.mkdirSync(instance.storageDir, { recursive: true });
  const db = options.db;
  const env: Record<string, string | number | undefined> = {
    // production: with development the CLI finds ts-node above the app folder and tries to run TypeScript sources.
    APP_ENV: 'production',
    APP_HOST: '127.0.0.1',
    APP_PORT: instance.port,
    APP_KEY: readKey(path.join(instance.storageDir, '..', `${instance.name}.app-key`)),
    STORAGE_PATH: instance.storageDir,
    DB_DIALECT: db.dialect,
    DB_HOST: db.host,
    DB_PORT: db.port,
    DB_DATABASE: db.database,
    DB_USER: db.user,
    DB_PASSWORD: db.password,
    INIT_ROOT_EMAIL: ADMIN.email,
    INIT_ROOT_PASSWORD: ADMIN.password,
    INIT_ROOT_NICKNAME: 'Super Admin',
    INIT_ROOT_USERNAME: 'nocobase',
    LOGGER_LEVEL: 'warn',
    ...extra,
  };
  const lines = Object.entries(env)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${value}`);
  fs.writeFileSync(instance.envPath, lines.join('\n') + '\n');
  // The CLI insists on this file existing even when no e2e command runs.
  if (!fs.existsSync(path.join(instance.appDir, '.env.e2e')))
    fs.writeFileSync(path.join(instance.appDir, '.env.e2e'), '');
}

function readEnvFile(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) values[line.slice(0, at)] = line.slice(at + 1);
  }
  return values;
}

/**
 * The environment NocoBase's CLI runs in: ours, minus NocoBase's own settings, plus the instance's .env on top.
 * dotenv never overrides a variable that is already set, and some (NODE_EXTRA_CA_CERTS) must be in place when
 * the server process starts, so the instance's values are passed in the environment itself.
 */
function cliEnvironment(instance: Instance): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const inherited =
    /^(DB_|APP_|API_|WS_|INIT_ROOT_|LOGGER_|CACHE_|PLUGIN_|JEST_|STORAGE_PATH$|NODE_MODULES_PATH$|NODE_PATH$|SOCKET_PATH$|PM2_HOME$|NODE_OPTIONS$|TS_NODE_)/;
  for (const [key, value] of Object.entries(process.env)) if (!inherited.test(key)) env[key] = value;
  Object.assign(env, readEnvFile(instance.envPath));
  env.APP_ENV_PATH = instance.envPath;
  // The CLI shells out to `yarn` and its own bins, which the app folder carries.
  env.PATH = `${path.join(instance.appDir, 'node_modules/.bin')}${path.delimiter}${process.env.PATH ?? ''}`;
  return env;
}

export function runCli(instance: Instance, args: string[]) {
  const started = Date.now();
  const result = spawnSync(path.join(instance.appDir, 'node_modules/.bin/nocobase-v1'), args, {
    cwd: instance.appDir,
    env: cliEnvironment(instance),
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`nocobase-v1 ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return Date.now() - started;
}

const INSTALLED_MARK = '.mailbridge-installed';

export function isInstalled(instance: Instance) {
  return fs.existsSync(path.join(instance.storageDir, INSTALLED_MARK));
}

export function markInstalled(instance: Instance) {
  fs.writeFileSync(path.join(instance.storageDir, INSTALLED_MARK), new Date().toISOString());
}

export interface RunningApp {
  process: ChildProcess;
  stop(): Promise<void>;
}

async function waitUntilServing(url: string, child: ChildProcess, logPath: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`NocoBase exited with ${child.exitCode}; see ${logPath}`);
    try {
      const res = await fetch(`${url}/api/__health_check`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`NocoBase did not answer at ${url} within ${timeoutMs / 1000} s; see ${logPath}`);
}

function isPortTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts the server in its own process group (so stop() takes its children too) and waits until it serves. */
export async function startServer(instance: Instance, { timeoutMs = 120_000 } = {}): Promise<RunningApp> {
  // Another server on the port would answer the health check in our place and hide that ours never started.
  if (await isPortTaken(instance.port)) {
    throw new Error(`port ${instance.port} is already in use (another app running?): stop it or pass --port`);
  }
  const log = fs.openSync(instance.logPath, 'a');
  const args = ['start', '--launch-mode', 'node'];
  const child = spawn(path.join(instance.appDir, 'node_modules/.bin/nocobase-v1'), args, {
    cwd: instance.appDir,
    env: cliEnvironment(instance),
    stdio: ['ignore', log, log],
    detached: true,
  });
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilServing(instance.url, child, instance.logPath, timeoutMs);
  } catch (err) {
    await stop();
    throw err;
  }
  return { process: child, stop };
}
