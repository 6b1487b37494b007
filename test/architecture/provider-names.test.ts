/**
 * Everything that differs between mail providers is data in their folders (`src/*\/providers/<key>/`): a second
 * provider is one more folder and one registration on each side. Outside them a provider is named only where it is
 * registered (the two plugin entries) and in migrations, which record what earlier versions stored.
 */
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../../src');
const PROVIDERS = ['microsoft', 'outlook', 'office365', 'entra', 'msal'];
const REGISTRATIONS = ['server/plugin.ts', 'client/plugin.tsx'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return ['__tests__', 'providers', 'migrations', 'locale'].includes(entry.name) ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/**
 * Code and strings only, lines kept in place: a comment that cites a provider's server quirk sits next to the code
 * handling it. A file type named after a product (`application/vnd.ms-outlook`) is a format, not a provider.
 */
function codeOf(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ''))
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
    .replace(/application\/vnd\.ms-outlook/g, '');
}

describe('provider names', () => {
  it('appear in code only inside providers/ folders and the registrations', () => {
    const found: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const relative = path.relative(SRC, file);
      if (REGISTRATIONS.includes(relative)) continue;
      codeOf(fs.readFileSync(file, 'utf8'))
        .split('\n')
        .forEach((line, i) => {
          if (PROVIDERS.some((name) => line.toLowerCase().includes(name)))
            found.push(`${relative}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });
});
