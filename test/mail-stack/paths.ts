import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Repository root: this file lives in `<repo>/test/mail-stack/`. */
export const repoRoot = path.resolve(__dirname, '..', '..');

/** True when users other than the owner may pass through `dir` and every folder above it (o+x all the way up). */
export function othersCanEnter(dir: string): boolean {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      if (!(fs.statSync(d).mode & 0o001)) return false;
    } catch {
      // Not created yet: what counts is the folders above it.
    }
    if (d === path.dirname(d)) return true;
  }
}

/** Where checkouts that others cannot enter keep their stacks, one folder per checkout. */
// Short on purpose: Dovecot's sockets sit four levels below a stack's folder, and a socket path longer than 107
// bytes cannot be bound.
export const SHARED_STATE_ROOT = '/var/tmp/mailbridge';

/**
 * Where the stacks of the checkout at `checkout` keep their state. Postfix, Dovecot and the sink run as their own
 * users (postfix, mail, dovecot, nobody) and must reach their files: in the checkout's `.mailstack/` when others may
 * enter the checkout, else (a clone in a `mktemp -d` folder or in root's home, both 0700) in /var/tmp.
 */
export function mailStackRootFor(checkout: string): string {
  if (othersCanEnter(checkout)) return path.join(checkout, '.mailstack');
  return path.join(SHARED_STATE_ROOT, createHash('sha256').update(path.resolve(checkout)).digest('hex').slice(0, 12));
}

export const mailStackRoot = mailStackRootFor(repoRoot);

export const caDir = path.join(mailStackRoot, 'ca');

export function stateDirFor(name: string): string {
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(name)) {
    throw new Error(`mail stack name must be letters, digits and dashes: ${JSON.stringify(name)}`);
  }
  return path.join(mailStackRoot, name);
}

/** Where a started stack writes its description, so later processes can find it. */
export function stackFileFor(name: string): string {
  return path.join(stateDirFor(name), 'stack.json');
}

/**
 * Creates the folder all stacks of this checkout live in, so the daemons' users may enter it (0755 whatever the
 * umask). The shared root in /var/tmp, where anyone may create things, must be ours and writable by nobody else.
 */
export function prepareMailStackRoot(): string {
  if (mailStackRoot.startsWith(`${SHARED_STATE_ROOT}/`)) {
    fs.mkdirSync(SHARED_STATE_ROOT, { recursive: true });
    const st = fs.lstatSync(SHARED_STATE_ROOT);
    if (!st.isDirectory() || st.uid !== process.getuid?.() || st.mode & 0o022) {
      throw new Error(
        `${SHARED_STATE_ROOT} must be a folder owned by this user and writable by nobody else; remove it and try again`,
      );
    }
    fs.chmodSync(SHARED_STATE_ROOT, 0o755);
  }
  fs.mkdirSync(mailStackRoot, { recursive: true });
  fs.chmodSync(mailStackRoot, 0o755);
  return mailStackRoot;
}

/** Creates the state folder of stack `name`, open to the daemons' users like its parent. */
export function prepareStateDir(name: string): string {
  prepareMailStackRoot();
  const dir = stateDirFor(name);
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
  return dir;
}
