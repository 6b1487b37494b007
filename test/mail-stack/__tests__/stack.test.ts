/**
 * Starting and stopping the stack itself: from a checkout that other users cannot enter (the mail daemons run as
 * their own users), and after a start that fails part-way (nothing it started may keep the ports).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { deliver, issueAccessToken, newMailboxAddress } from '../client';
import { repoRoot, SHARED_STATE_ROOT } from '../paths';
import { portBaseFromEnv, portsFor } from '../ports';
import { canConnect } from '../process';
import { mailStackStatus, startMailStack, stopMailStack } from '../stack';
import type { MailStack } from '../types';

const worker = Number(process.env.JEST_WORKER_ID ?? '1');
/** Above the run's private stacks (+1300 + 10 per worker; see test/helpers/private-mail-stack.ts). */
const portBase = (slot: number) => portBaseFromEnv() + 1400 + worker * 20 + slot * 10;

async function openPorts(base: number): Promise<number[]> {
  const ports = Object.values(portsFor(base));
  const open = await Promise.all(ports.map((p) => canConnect(p)));
  return ports.filter((_, i) => open[i]);
}

/** Runs `fn` with the test helpers of client.ts pointed at `stack`. */
async function withStack<T>(stack: MailStack, fn: () => Promise<T>): Promise<T> {
  const saved = { MAILSTACK: process.env.MAILSTACK, MAILSTACK_NAME: process.env.MAILSTACK_NAME };
  process.env.MAILSTACK = JSON.stringify(stack);
  process.env.MAILSTACK_NAME = stack.name;
  try {
    return await fn();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/**
 * A TCP socket bound to 127.0.0.1:`port` but not listening, held by another process: connecting to it is refused
 * (so the stack's "ports in use" check passes), yet a daemon that binds the port fails to start.
 */
async function occupyPort(port: number) {
  const holder = spawn(
    'python3',
    [
      '-c',
      `import socket,sys\ns=socket.socket()\ns.bind(('127.0.0.1',${port}))\nprint('bound',flush=True)\nsys.stdin.read()`,
    ],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    holder.once('error', reject);
    holder.once('exit', (code) => reject(new Error(`port holder exited with ${code}`)));
    holder.stdout!.once('data', () => resolve());
  });
  return () => {
    holder.stdin!.end();
    holder.kill();
  };
}

describe('mail stack start and stop', () => {
  it('a start that fails part-way stops what it had started, leaving every port free', async () => {
    const name = `failing-start-w${worker}`;
    const base = portBase(0);
    const release = await occupyPort(portsFor(base).submission);
    try {
      await expect(startMailStack({ name, portBase: base, fresh: true })).rejects.toThrow(/postfix/i);
      expect(mailStackStatus(name).components).toEqual({
        identity: false,
        dovecot: false,
        dovecotOutlook: false,
        postfix: false,
      });
      expect(await openPorts(base)).toEqual([]);
    } finally {
      release();
      await stopMailStack(name);
    }
    // And the next start on the same ports works.
    try {
      await startMailStack({ name, portBase: base, fresh: true });
      expect(mailStackStatus(name).running).toBe(true);
    } finally {
      await stopMailStack(name);
    }
    expect(await openPorts(base)).toEqual([]);
  });

  describe('from a checkout inside a folder only its owner may enter', () => {
    let parent: string;
    let checkout: string;
    let stateRoot: string | undefined;
    const name = `private-w${worker}`;
    const cli = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', path.join(checkout, 'test/mail-stack/cli.ts'), ...args, '--name', name],
        {
          cwd: checkout,
          encoding: 'utf8',
          timeout: 60_000,
        },
      );

    beforeAll(() => {
      parent = fs.mkdtempSync(path.join(os.tmpdir(), 'mailbridge-0700-'));
      expect(fs.statSync(parent).mode & 0o777).toBe(0o700);
      // The stack's own files as they are in this work tree; the dependencies are the same.
      checkout = path.join(parent, 'clone');
      fs.mkdirSync(path.join(checkout, 'test'), { recursive: true });
      fs.cpSync(path.join(repoRoot, 'test/mail-stack'), path.join(checkout, 'test/mail-stack'), { recursive: true });
      for (const file of ['package.json', 'tsconfig.json'])
        fs.copyFileSync(path.join(repoRoot, file), path.join(checkout, file));
      fs.symlinkSync(fs.realpathSync(path.join(repoRoot, 'node_modules')), path.join(checkout, 'node_modules'));
    });

    afterAll(() => {
      cli('stop');
      fs.rmSync(parent, { recursive: true, force: true });
      // The clone's stacks lived outside it (see paths.ts): their folder goes too.
      if (stateRoot?.startsWith(`${SHARED_STATE_ROOT}/`)) fs.rmSync(stateRoot, { recursive: true, force: true });
    });

    it('starts, delivers mail through Postfix into Dovecot, logs in over IMAP, and stops', async () => {
      const base = portBase(1);
      const started = cli('start', '--fresh', '--port-base', String(base));
      expect(started.stderr).not.toMatch(/denied|exited with/i);
      expect(started.status).toBe(0);
      const stack = JSON.parse(started.stdout) as MailStack;
      stateRoot = path.dirname(stack.stateDir);

      const email = newMailboxAddress('private');
      await withStack(stack, async () => {
        // Postfix (as user postfix) hands the message to Dovecot's LMTP (as user mail); deliver() waits for the file.
        await deliver({ to: email, subject: 'through a private folder', text: 'hello' });
        const imap = new ImapFlow({
          ...stack.imapOutlook,
          auth: { user: email, accessToken: await issueAccessToken(email) },
          tls: { ca: fs.readFileSync(stack.caPath) },
          logger: false,
        });
        await imap.connect();
        try {
          const inbox = await imap.status('INBOX', { messages: true });
          expect(inbox && inbox.messages).toBe(1);
        } finally {
          await imap.logout();
        }
      });

      expect(cli('stop').status).toBe(0);
      expect(await openPorts(base)).toEqual([]);
    });
  });
});
