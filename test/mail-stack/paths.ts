import path from 'node:path';

/** Repository root: this file lives in `<repo>/test/mail-stack/`. */
export const repoRoot = path.resolve(__dirname, '..', '..');

export const mailStackRoot = path.join(repoRoot, '.mailstack');

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
