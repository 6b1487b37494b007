import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withFileLock } from '../../scripts/app/file-lock';

describe('withFileLock', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailbridge-lock-'));
  const lock = path.join(dir, 'x.lock');

  it('never lets two holders overlap', async () => {
    const events: string[] = [];
    const hold = (name: string) =>
      withFileLock(lock, async () => {
        events.push(`${name}+`);
        await new Promise((r) => setTimeout(r, 50));
        events.push(`${name}-`);
      });
    await Promise.all([hold('a'), hold('b'), hold('c')]);
    for (let i = 0; i < events.length; i += 2) expect(events[i + 1]).toBe(events[i].replace('+', '-'));
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('takes over a lock whose holder died', async () => {
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.once('exit', r));
    fs.writeFileSync(lock, String(dead.pid));
    await expect(withFileLock(lock, async () => 'ran', 2_000)).resolves.toBe('ran');
  });

  it('releases the lock when the work fails', async () => {
    await expect(withFileLock(lock, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(fs.existsSync(lock)).toBe(false);
  });
});
