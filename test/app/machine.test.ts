import { decideSetup, machineFacts, MachineFacts, SETUP_COMMAND, wantsLocalPostgres } from '../../scripts/machine';

const ready: MachineFacts = {
  mailStackInstalled: true,
  postgresRunning: true,
  browserInstalled: true,
  canInstall: false,
};
const fresh: MachineFacts = {
  mailStackInstalled: false,
  postgresRunning: false,
  browserInstalled: false,
  canInstall: false,
};
const testRun = { mailStack: true, postgres: false, browser: true };
const sandbox = { mailStack: true, postgres: false, browser: false };

describe('scripts/machine: what npm test and npm run sandbox do about missing machine packages', () => {
  it.each([
    ['a prepared machine: nothing to do', testRun, ready, { kind: 'ready', warnings: [] }],
    [
      'root on a fresh Debian machine: installs by itself',
      testRun,
      { ...fresh, canInstall: true },
      {
        kind: 'install',
        missing: expect.arrayContaining([
          expect.stringMatching(/Dovecot and Postfix/),
          expect.stringMatching(/Chromium/),
        ]),
      },
    ],
    [
      'root, only Chromium missing: installs it too',
      testRun,
      { ...ready, browserInstalled: false, canInstall: true },
      { kind: 'install', missing: [expect.stringMatching(/Chromium/)] },
    ],
    [
      'root, PostgreSQL run with PostgreSQL stopped: starts it',
      { ...testRun, postgres: true },
      { ...ready, postgresRunning: false, canInstall: true },
      { kind: 'install', missing: [expect.stringMatching(/PostgreSQL/)] },
    ],
    [
      'the sandbox does not wait for Chromium',
      sandbox,
      { ...ready, browserInstalled: false },
      { kind: 'ready', warnings: [] },
    ],
  ])('%s', (_, needs, facts, expected) => {
    expect(decideSetup(needs, facts)).toEqual(expected);
  });

  it('without the rights to install, stops before the run and names the one command', () => {
    const decision = decideSetup(sandbox, fresh);
    expect(decision).toEqual({ kind: 'refuse', message: expect.stringContaining(SETUP_COMMAND) });
    expect(decision.kind === 'refuse' && decision.message).toMatch(/Dovecot and Postfix/);
  });

  it('without the rights to install, a missing Chromium only warns (the browser tests say so themselves)', () => {
    const decision = decideSetup(testRun, { ...ready, browserInstalled: false });
    expect(decision).toEqual({ kind: 'ready', warnings: [expect.stringContaining(SETUP_COMMAND)] });
  });

  it('checks the local PostgreSQL only when the run points there', () => {
    expect(wantsLocalPostgres({ DB_DIALECT: 'postgres' })).toBe(true);
    expect(wantsLocalPostgres({ DB_DIALECT: 'postgres', DB_HOST: 'db.internal' })).toBe(false);
    expect(wantsLocalPostgres({})).toBe(false);
  });

  it('sees this machine as it is (the suite itself runs on the mail stack)', () => {
    expect(machineFacts().mailStackInstalled).toBe(true);
  });
});
