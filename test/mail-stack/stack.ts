import fs from 'node:fs';
import path from 'node:path';
import { ensureTestCa } from './ca';
import { dovecotPaths, dovecotPid, startDovecot, writeDovecotConfig } from './dovecot';
import { EXAMPLE_TENANT_ID } from './identity/directory';
import type { AppRegistration } from './identity/apps';
import { SANDBOX_APP } from './identity/default-app';
import type { IdentityServerOptions } from './identity/server';
import { prepareStateDir, repoRoot, stackFileFor, stateDirFor } from './paths';
import { portBaseFromEnv, portsFor } from './ports';
import { postfixPaths, postfixPidFile, startPostfix, writePostfixConfig } from './postfix';
import { canConnect, isAlive, isGroupLeaderRunning, readPid, spawnDaemon, terminate, waitForPorts } from './process';
import type { MailStack } from './types';

export type { MailStack } from './types';

export interface StartOptions {
  /** State lives in `.mailstack/<name>/` (see paths.ts); `test` for jest, `sandbox` for the app. */
  name?: string;
  portBase?: number;
  /** The app registered at start (default: the sandbox app). */
  defaultApp?: AppRegistration;
  /**
   * Start from empty mailboxes, sink and identity grants. Test runs want this (every
   * run's fresh addresses would otherwise pile up); the sandbox keeps its state so
   * connected accounts survive a restart.
   */
  fresh?: boolean;
}

const BINARIES = ['/usr/sbin/dovecot', '/usr/sbin/postfix', '/usr/bin/doveadm'];

export function assertInstalled() {
  const missing = BINARIES.filter((b) => !fs.existsSync(b));
  if (missing.length) {
    throw new Error(
      `The local mail stack needs Dovecot and Postfix (missing ${missing.join(', ')}). Install them with: sudo bash scripts/setup-machine.sh`,
    );
  }
}

function identityFiles(stateDir: string) {
  const dir = path.join(stateDir, 'identity');
  return {
    dir,
    pid: path.join(dir, 'identity.pid'),
    log: path.join(dir, 'identity.log'),
    options: path.join(dir, 'options.json'),
  };
}

/** A pid from a pid file, if it still is the program we started (pids get reused). */
function ownPid(pid: number | undefined, program: string): number | undefined {
  return isGroupLeaderRunning(pid, program) ? pid : undefined;
}

export async function stopMailStack(name = 'test') {
  const stateDir = stateDirFor(name);
  if (!fs.existsSync(stateDir)) return;
  const jobs: Promise<unknown>[] = [];
  jobs.push(terminate(ownPid(readPid(postfixPidFile(postfixPaths(stateDir))), 'master')));
  for (const profile of ['full', 'outlook'] as const) {
    jobs.push(terminate(ownPid(dovecotPid(dovecotPaths(stateDir, profile)), 'dovecot')));
  }
  jobs.push(terminate(ownPid(readPid(identityFiles(stateDir).pid), 'main.ts')));
  await Promise.all(jobs);
  fs.rmSync(stackFileFor(name), { force: true });
}

export async function startMailStack(opts: StartOptions = {}): Promise<MailStack> {
  assertInstalled();
  const name = opts.name ?? 'test';
  const portBase = opts.portBase ?? portBaseFromEnv();
  const ports = portsFor(portBase);

  // Whatever a previous (possibly crashed) run left behind goes first.
  await stopMailStack(name);
  const busy = (await Promise.all(Object.values(ports).map(async (p) => ((await canConnect(p)) ? p : 0)))).filter(
    Boolean,
  );
  if (busy.length) {
    throw new Error(
      `ports ${busy.join(', ')} are in use: another mail stack (or program) overlaps port base ${portBase}; pick another with --port-base or MAILSTACK_PORT_BASE`,
    );
  }

  // The daemons run as their own users: what is created for them must be open to them whatever the caller's umask.
  const umask = process.umask(0o022);
  try {
    return await startComponents(name, portBase, opts);
  } catch (err) {
    // A part-way start (say Postfix failed) must not leave the parts already running on their ports.
    await stopMailStack(name);
    throw err;
  } finally {
    process.umask(umask);
  }
}

async function startComponents(name: string, portBase: number, opts: StartOptions): Promise<MailStack> {
  const ports = portsFor(portBase);
  const stateDir = prepareStateDir(name);
  if (opts.fresh) {
    for (const dir of ['mail', 'sink', 'identity'])
      fs.rmSync(path.join(stateDir, dir), { recursive: true, force: true });
  }

  const tls = await ensureTestCa();
  const id = identityFiles(stateDir);
  fs.mkdirSync(id.dir, { recursive: true });
  const defaultApp = opts.defaultApp ?? SANDBOX_APP;
  const identityOptions: IdentityServerOptions = {
    httpsPort: ports.identityHttps,
    httpPort: ports.identityHttp,
    certPath: tls.certPath,
    keyPath: tls.keyPath,
    stateDir: id.dir,
    apps: [defaultApp],
  };
  fs.writeFileSync(id.options, JSON.stringify(identityOptions, null, 2));
  const identityPid = spawnDaemon(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'identity', 'main.ts'), id.options],
    {
      logFile: id.log,
      pidFile: id.pid,
      cwd: repoRoot,
    },
  );

  // Dovecot first: Postfix hands it mail (LMTP) and logins (SASL). Both instances settle before any failure is
  // reported, so the cleanup finds the pid of each one that did start.
  const dovecots = (['full', 'outlook'] as const).map((profile) => writeDovecotConfig(stateDir, profile, ports, tls));
  const failed = (await Promise.allSettled(dovecots.map(startDovecot))).find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  const pf = writePostfixConfig(stateDir, ports, tls, name);
  await startPostfix(pf);
  await waitForPorts([ports.identityHttps, ports.identityHttp], {
    timeoutMs: 15_000,
    what: 'identity stand-in',
    logFile: id.log,
    alive: () => isAlive(identityPid),
  });
  await waitForPorts([ports.imaps, ports.imapsOutlook, ports.lmtp, ports.dovecotAuth], {
    timeoutMs: 5000,
    what: 'dovecot',
    logFile: dovecots[0].log,
  });
  await waitForPorts([ports.submission, ports.smtpInbound], { timeoutMs: 5000, what: 'postfix', logFile: pf.log });

  const stack: MailStack = {
    name,
    portBase,
    authorityHost: `localhost:${ports.identityHttps}`,
    authorityUrl: `https://localhost:${ports.identityHttps}/`,
    hooksUrl: `http://127.0.0.1:${ports.identityHttp}/_test`,
    imap: { host: 'localhost', port: ports.imaps, secure: true },
    imapOutlook: { host: 'localhost', port: ports.imapsOutlook, secure: true },
    smtp: { host: 'localhost', port: ports.submission, secure: false },
    smtpInbound: { host: 'localhost', port: ports.smtpInbound },
    tenantId: EXAMPLE_TENANT_ID,
    defaultApp: {
      clientId: defaultApp.clientId,
      clientSecret: defaultApp.secret,
      redirectUris: defaultApp.redirectUris,
    },
    caPath: tls.caPath,
    stateDir,
  };
  fs.writeFileSync(stackFileFor(name), JSON.stringify(stack, null, 2));
  return stack;
}

export interface StackStatus {
  name: string;
  running: boolean;
  components: Record<'identity' | 'dovecot' | 'dovecotOutlook' | 'postfix', boolean>;
  stack?: MailStack;
}

export function mailStackStatus(name = 'test'): StackStatus {
  const stateDir = stateDirFor(name);
  const components = {
    identity: !!ownPid(readPid(identityFiles(stateDir).pid), 'main.ts'),
    dovecot: !!ownPid(dovecotPid(dovecotPaths(stateDir, 'full')), 'dovecot'),
    dovecotOutlook: !!ownPid(dovecotPid(dovecotPaths(stateDir, 'outlook')), 'dovecot'),
    postfix: !!ownPid(readPid(postfixPidFile(postfixPaths(stateDir))), 'master'),
  };
  const file = stackFileFor(name);
  const stack = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as MailStack) : undefined;
  return { name, running: Object.values(components).every(Boolean), components, stack };
}
