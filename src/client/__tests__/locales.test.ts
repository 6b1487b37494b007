/**
 * Every string the client shows goes through i18n: each key used with `t(...)`, `k(...)` or `tval(...)` in
 * src/client exists in every locale file, with the same {{placeholders}}, and no locale carries keys nothing uses.
 */
import fs from 'node:fs';
import path from 'node:path';

const CLIENT = path.join(__dirname, '..');
const LOCALES = path.join(__dirname, '../../locale');
const LANGUAGES = ['en-US', 'zh-CN', 'cs-CZ', 'pl-PL'];
/** Keys the server side or package metadata shows through the same namespace. */
const EXTERNAL_KEYS = new Set<string>(['Connect Outlook mailboxes and read and send mail inside NocoBase.']);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === '__tests__' ? [] : sources(p);
    return /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function usedKeys(): Set<string> {
  const keys = new Set<string>();
  const call = /\b(?:t|k|tval)\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g;
  for (const file of sources(CLIENT)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(call)) keys.add((m[1] ?? m[2]).replace(/\\(['"\\])/g, '$1'));
  }
  return keys;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('client locales', () => {
  const used = usedKeys();

  it('finds the keys the client uses', () => {
    expect(used.size).toBeGreaterThan(100);
    expect(used).toContain('Connect Outlook');
  });

  it.each(LANGUAGES)('%s has every key, with the same placeholders, and nothing unused', (lang) => {
    const messages = JSON.parse(fs.readFileSync(path.join(LOCALES, `${lang}.json`), 'utf8')) as Record<string, string>;
    const missing = [...used].filter((key) => typeof messages[key] !== 'string' || !messages[key].trim());
    expect(missing).toEqual([]);
    const badPlaceholders = [...used].filter(
      (key) => JSON.stringify(placeholders(key)) !== JSON.stringify(placeholders(messages[key])),
    );
    expect(badPlaceholders).toEqual([]);
    const unused = Object.keys(messages).filter((key) => !used.has(key) && !EXTERNAL_KEYS.has(key));
    expect(unused).toEqual([]);
  });
});
