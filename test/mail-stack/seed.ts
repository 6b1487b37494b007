import fs from 'node:fs';
import path from 'node:path';
import { dovecotPaths, doveadm, mailOwner } from './dovecot';
import { defaultDistribution, generateMailbox } from './messages';
import type { MailStack } from './types';

export interface SeedOptions {
  /** Total messages, spread over Outlook's folders (ignored when `folders` is given). Default 50. */
  count?: number;
  /** Exact counts per folder, e.g. `{ INBOX: 40, 'Sent Items': 5 }`. */
  folders?: Record<string, number>;
  /** Dates spread over this many months back from `now`. Default 6. */
  months?: number;
  seed?: number;
  now?: Date;
}

export interface SeedResult {
  email: string;
  counts: Record<string, number>;
  total: number;
  /** With thread links (In-Reply-To). */
  replies: number;
  ms: number;
}

/**
 * Seeds a mailbox by writing a maildir and importing it with `doveadm import`:
 * ~7 s for 10k messages, with flags and dates kept (LMTP is ~60 msg/s and leaves
 * everything unseen). Adds to what the mailbox already holds.
 */
export async function seedMailbox(
  stack: Pick<MailStack, 'stateDir'>,
  email: string,
  opts: SeedOptions = {},
): Promise<SeedResult> {
  const started = Date.now();
  const folders = opts.folders ?? defaultDistribution(opts.count ?? 50);
  const messages = generateMailbox({
    owner: email.toLowerCase(),
    folders,
    months: opts.months ?? 6,
    seed: opts.seed ?? 1,
    now: opts.now ?? new Date(),
  });

  const src = fs.mkdtempSync(path.join(stack.stateDir, 'seed-'));
  const { uid, gid } = mailOwner();
  const made = new Set<string>();
  const dirFor = (folder: string) => {
    // LAYOUT=fs: the Inbox is the maildir root, other folders are subdirectories.
    const root = folder.toUpperCase() === 'INBOX' ? src : path.join(src, folder);
    if (!made.has(root)) {
      for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(root, sub), { recursive: true });
      made.add(root);
    }
    return path.join(root, 'cur');
  };
  try {
    messages.forEach((m, i) => {
      const seconds = Math.floor(m.date.getTime() / 1000);
      const file = path.join(
        dirFor(m.folder),
        `${seconds}.M${i}P${process.pid}.mailstack,S=${Buffer.byteLength(m.raw)}:2,${m.maildirFlags}`,
      );
      fs.writeFileSync(file, m.raw);
      // Dovecot takes a maildir message's received date (INTERNALDATE) from its mtime.
      fs.utimesSync(file, m.date, m.date);
    });
    // doveadm drops to the mail user and keeps its own index files in the source.
    chownTree(src, uid, gid);
    // Import into same-named folders under the root ("" parent), all messages.
    await doveadm(dovecotPaths(stack.stateDir), ['import', '-u', email, '-s', `maildir:${src}:LAYOUT=fs`, '', 'all']);
  } finally {
    fs.rmSync(src, { recursive: true, force: true });
  }
  const counts: Record<string, number> = {};
  for (const m of messages) counts[m.folder] = (counts[m.folder] ?? 0) + 1;
  return {
    email,
    counts,
    total: messages.length,
    replies: messages.filter((m) => m.raw.includes('\r\nIn-Reply-To:')).length,
    ms: Date.now() - started,
  };
}

function chownTree(dir: string, uid: number, gid: number) {
  fs.chownSync(dir, uid, gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(p, uid, gid);
    else fs.chownSync(p, uid, gid);
  }
}
