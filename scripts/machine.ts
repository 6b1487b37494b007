/**
 * What `npm test` and `npm run sandbox` need from the machine beyond `npm install`: Dovecot and Postfix for the
 * local mail stack, a running PostgreSQL for the PostgreSQL run, Chromium for the browser tests. Where this
 * process may install them (root on Debian, as in CI) scripts/setup-machine.sh runs by itself; elsewhere the
 * message names the one command to run.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const SETUP_COMMAND = 'sudo bash scripts/setup-machine.sh';

const repoRoot = path.resolve(__dirname, '..');

export interface MachineNeeds {
  mailStack: boolean;
  postgres: boolean;
  /** Only the browser tests need it; they say so themselves when it is missing. */
  browser: boolean;
}

export interface MachineFacts {
  mailStackInstalled: boolean;
  postgresRunning: boolean;
  browserInstalled: boolean;
  /** Root on Debian: setup-machine.sh can do its work here. */
  canInstall: boolean;
}

export type SetupDecision =
  { kind: 'ready'; warnings: string[] } | { kind: 'install'; missing: string[] } | { kind: 'refuse'; message: string };

function missingParts(needs: MachineNeeds, facts: MachineFacts) {
  const required = [
    needs.mailStack && !facts.mailStackInstalled && 'Dovecot and Postfix (the local mail stack)',
    needs.postgres && !facts.postgresRunning && 'a running PostgreSQL on 127.0.0.1:5432',
  ].filter((p): p is string => !!p);
  const optional = needs.browser && !facts.browserInstalled ? ['Chromium (the browser tests)'] : [];
  return { required, optional };
}

/** What to do before the run: nothing, install the missing parts, or stop and name the command. Pure. */
export function decideSetup(needs: MachineNeeds, facts: MachineFacts): SetupDecision {
  const { required, optional } = missingParts(needs, facts);
  if (facts.canInstall && (required.length || optional.length))
    return { kind: 'install', missing: [...required, ...optional] };
  const warnings = optional.map((p) => `${p} is missing; to install it, run once: ${SETUP_COMMAND}`);
  if (!required.length) return { kind: 'ready', warnings };
  return {
    kind: 'refuse',
    message: `This machine lacks ${required.join(' and ')}. Run once, then try again:\n  ${SETUP_COMMAND}`,
  };
}

function postgresRunning(): boolean {
  return spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q'], { stdio: 'ignore' }).status === 0;
}

export function machineFacts(): MachineFacts {
  return {
    mailStackInstalled: ['/usr/sbin/dovecot', '/usr/sbin/postfix', '/usr/bin/doveadm'].every((f) => fs.existsSync(f)),
    postgresRunning: postgresRunning(),
    browserInstalled: fs.existsSync('/usr/bin/chromium'),
    canInstall: process.getuid?.() === 0 && fs.existsSync('/etc/debian_version') && fs.existsSync('/usr/bin/apt-get'),
  };
}

/** Makes the machine ready for `needs`, or throws an error whose message says the one command to run. */
export function ensureMachine(needs: MachineNeeds, facts = machineFacts()): void {
  const decision = decideSetup(needs, facts);
  if (decision.kind === 'refuse') throw new Error(decision.message);
  if (decision.kind === 'ready') {
    for (const warning of decision.warnings) console.warn(warning);
    return;
  }
  console.log(`Setting up this machine (${decision.missing.join(', ')}): bash scripts/setup-machine.sh`);
  const setup = spawnSync('bash', [path.join(repoRoot, 'scripts/setup-machine.sh')], {
    stdio: 'inherit',
    cwd: repoRoot,
  });
  if (setup.status !== 0)
    throw new Error(`scripts/setup-machine.sh failed (exit ${setup.status}); fix what it reported and run it again`);
  const after = decideSetup(needs, { ...machineFacts(), canInstall: false });
  if (after.kind === 'refuse') throw new Error(after.message);
}

/** The DB_* environment points at PostgreSQL on this machine (the tests' default), not at a server elsewhere. */
export function wantsLocalPostgres(env: NodeJS.ProcessEnv = process.env): boolean {
  return (
    env.DB_DIALECT === 'postgres' &&
    ['127.0.0.1', 'localhost', undefined].includes(env.DB_HOST) &&
    [undefined, '5432'].includes(env.DB_PORT)
  );
}
