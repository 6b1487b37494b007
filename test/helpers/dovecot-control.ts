/**
 * Faults on the stack's Dovecot for tests: kill a whole instance as a crash would and start it again, drop one
 * user's sessions (what a restart looks like to that user's clients, without disturbing anyone else), and count
 * the logins a user attempted, from the instance's log.
 */
import fs from 'node:fs';
import { doveadm, DovecotProfile, dovecotPaths, dovecotPid, startDovecot } from '../mail-stack/dovecot';
import { getStack } from '../mail-stack/client';
import { assertPrivateMailStack } from './private-mail-stack';

const paths = (profile: DovecotProfile) => dovecotPaths(getStack().stateDir, profile);

/** The process and everything under it (login, imap, auth…), from /proc. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may contain spaces, so read after the last ')'.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Exited meanwhile.
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(root);
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** SIGKILL to the whole instance at once (sessions die mid-command, as in a crash), then waits for it to be gone. */
export async function killDovecot(profile: DovecotProfile): Promise<void> {
  assertPrivateMailStack('Killing Dovecot');
  const pid = dovecotPid(paths(profile));
  if (!pid) throw new Error(`Dovecot (${profile} profile) is not running`);
  const all = processTree(pid);
  for (const p of all) process.kill(p, 'SIGKILL');
  const until = Date.now() + 10_000;
  while (all.some(alive)) {
    if (Date.now() > until) throw new Error('Dovecot did not exit');
    await new Promise((r) => setTimeout(r, 50));
  }
  fs.rmSync(`${paths(profile).baseDir}/master.pid`, { force: true });
}

export async function startDovecotAgain(profile: DovecotProfile): Promise<void> {
  await startDovecot(paths(profile));
}

/** Ends every IMAP session of one user on that instance (`doveadm kick`): their clients see the server go away. */
export async function kickUser(profile: DovecotProfile, email: string): Promise<void> {
  await doveadm(paths(profile), ['kick', email]);
}

/** Login attempts by `email` on that instance so far, successful or not (each failed attempt counts). */
export function loginAttempts(profile: DovecotProfile, email: string): number {
  const log = fs.readFileSync(paths(profile).log, 'utf8');
  let n = 0;
  for (const line of log.split('\n')) {
    if (!line.includes('imap-login:') || !line.includes(`user=<${email}>`)) continue;
    if (line.includes('Login: user=')) n++;
    else n += Number(/\((?:auth failed|[^)]*?), (\d+) attempts/.exec(line)?.[1] ?? 0);
  }
  return n;
}

/** The IMAP sessions open on that instance now, counted per user (`doveadm who -1`: one line a connection). */
export async function imapSessionsPerUser(profile: DovecotProfile): Promise<Map<string, number>> {
  const { stdout } = await doveadm(paths(profile), ['who', '-1']);
  const counts = new Map<string, number>();
  for (const line of stdout.split('\n').slice(1)) {
    const [user, proto] = line.trim().split(/\s+/);
    if (user && proto === 'imap') counts.set(user, (counts.get(user) ?? 0) + 1);
  }
  return counts;
}
