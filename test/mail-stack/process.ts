import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

function tail(file: string, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Runs a command that daemonizes (dovecot, postfix) to completion. Output goes to a
 * file rather than a pipe: the daemon inherits the descriptors, and a pipe would
 * keep the parent waiting for as long as the daemon lives.
 */
export async function runLogged(cmd: string, args: string[], logFile: string, opts: { env?: NodeJS.ProcessEnv } = {}) {
  const fd = fs.openSync(logFile, 'a');
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], env: opts.env ?? process.env });
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${tail(logFile)}`);
  } finally {
    fs.closeSync(fd);
  }
}

/** Starts a long-lived process that outlives this one (the sandbox CLI exits after start). */
export function spawnDaemon(
  cmd: string,
  args: string[],
  o: { logFile: string; pidFile: string; cwd?: string; env?: NodeJS.ProcessEnv },
) {
  const fd = fs.openSync(o.logFile, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd], cwd: o.cwd, env: o.env ?? process.env });
  fs.closeSync(fd);
  child.unref();
  fs.writeFileSync(o.pidFile, String(child.pid));
  return child.pid!;
}

/** `/proc/<pid>/stat` fields after the command name: state, ppid, pgrp, ... */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * Zombies count as gone: a killed daemon's children are re-parented to PID 1,
 * which in containers may reap them only seconds later.
 */
export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  const fields = statFields(pid);
  return !!fields && fields[0] !== 'Z';
}

export function readPid(file: string): number | undefined {
  try {
    return Number(fs.readFileSync(file, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

function groupAlive(pgid: number) {
  return fs.readdirSync('/proc').some((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    const fields = statFields(Number(entry));
    return !!fields && fields[0] !== 'Z' && Number(fields[2]) === pgid;
  });
}

/**
 * Stops a daemon and everything it forked: SIGTERM to its process group, SIGKILL
 * after `graceMs`. Dovecot's master takes ~2 s to wind down on SIGTERM and Postfix's
 * ~1 s; maildirs and Postfix queues are crash-safe, so test stacks need not wait.
 * `pid` must lead its own group (daemons call setsid; spawnDaemon detaches).
 */
export async function terminate(pid: number | undefined, graceMs = 300) {
  if (!pid || !groupAlive(pid)) return;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) await sleep(10);
  if (groupAlive(pid)) signal('SIGKILL');
  while (groupAlive(pid)) await sleep(10);
}

/** True when `pid` runs `program` and leads its own process group (safe to signal as a group). */
export function isGroupLeaderRunning(pid: number | undefined, program: string): boolean {
  if (!pid || !isAlive(pid)) return false;
  try {
    return Number(statFields(pid)?.[2]) === pid && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(program);
  } catch {
    return false;
  }
}

export function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function waitForPorts(
  ports: number[],
  o: { timeoutMs: number; what: string; logFile?: string; alive?: () => boolean },
) {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    const up = await Promise.all(ports.map((p) => canConnect(p)));
    if (up.every(Boolean)) return;
    const dead = o.alive && !o.alive();
    if (dead || Date.now() > deadline) {
      const missing = ports.filter((_, i) => !up[i]);
      throw new Error(
        `${o.what} ${dead ? 'exited' : 'did not open'} port(s) ${missing.join(', ')}${o.logFile ? `:\n${tail(o.logFile)}` : ''}`,
      );
    }
    await sleep(20);
  }
}

export { tail };
