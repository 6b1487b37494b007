/**
 * A generator of realistic mail for seeding: plain, multipart/alternative and
 * multipart/mixed with attachments, UTF-8 headers as RFC 2047 encoded words (both
 * B and Q), RFC 2231 attachment names, threads linked by In-Reply-To/References,
 * and dates spread over months. Pure: same seed, same mailbox.
 */
import { createHash } from 'node:crypto';

export interface GeneratedMessage {
  folder: string;
  raw: string;
  date: Date;
  /** Maildir info flags, sorted: D(raft) F(lagged) R(eplied) S(een). */
  maildirFlags: string;
  messageId: string;
}

function rng(seed: number) {
  // mulberry32: small, fast, deterministic.
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PEOPLE = [
  { name: 'Alice Example', address: 'alice@example.net' },
  { name: 'José Müller', address: 'jose.mueller@example.org' },
  { name: 'Zoë Dupont-Laurent', address: 'zoe@example.fr' },
  { name: '山田 太郎', address: 'taro.yamada@example.jp' },
  { name: 'Ольга Иванова', address: 'olga@example.ru' },
  { name: "Bob O'Neil", address: 'bob@example.com' },
  { name: 'Ünal Şahin', address: 'unal@example.com.tr' },
  { name: 'Newsletter', address: 'news@updates.example.com' },
];

const SUBJECTS = [
  'Quarterly report',
  'Réunion d’équipe – jeudi 10h',
  'Angebot für Größe XL',
  '会議の議事録',
  'Встреча завтра',
  '🎉 Launch party on Friday',
  'Invoice 2024-117 attached',
  'Ça va ? Quick question about the façade',
  'Project timeline (updated)',
  'Lunch?',
  'Your weekly digest',
  'Contract draft – please review',
];

const LINES = [
  'Hi,\n\nplease find the numbers below. Let me know if anything looks off.',
  'Bonjour,\n\nvoici l’ordre du jour : budget, calendrier, questions diverses.',
  'Hallo,\n\nanbei das Angebot. Die Preise gelten bis Monatsende – Grüße!',
  'こんにちは。\n\n議事録を送ります。ご確認ください。',
  'Привет!\n\nДавай встретимся завтра в 10:00.',
  'Quick one: can you send me the latest version before lunch? Thanks 🙏',
];

/** 1×1 transparent PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const hasNonAscii = (s: string) => /[^\x20-\x7e]/.test(s);

/** RFC 2047 encoded word; alternates B and Q so parsers meet both. */
function encodeWord(text: string, q: boolean): string {
  if (!hasNonAscii(text)) return text;
  if (!q) return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
  const body = [...Buffer.from(text, 'utf8')]
    .map((b) =>
      b === 0x20
        ? '_'
        : /[A-Za-z0-9!*+\-/]/.test(String.fromCharCode(b))
          ? String.fromCharCode(b)
          : `=${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
  return `=?UTF-8?Q?${body}?=`;
}

function address(p: { name: string; address: string }, q: boolean) {
  const name = hasNonAscii(p.name) ? encodeWord(p.name, q) : `"${p.name.replace(/"/g, '')}"`;
  return `${name} <${p.address}>`;
}

function base64Lines(buf: Buffer) {
  return buf.toString('base64').replace(/.{76}/g, '$&\r\n');
}

/** RFC 2822 date in the sender's zone, as mail clients write it. */
function rfc2822(d: Date) {
  return d.toUTCString().replace('GMT', '+0000');
}

function quotedPrintable(text: string) {
  // Enough QP for UTF-8 text: escape non-ASCII and '=', keep lines short with soft breaks.
  return text
    .split('\n')
    .map((line) => {
      let out = '';
      let len = 0;
      for (const byte of Buffer.from(line, 'utf8')) {
        const ch =
          byte >= 0x20 && byte < 0x7f && byte !== 0x3d
            ? String.fromCharCode(byte)
            : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
        if (len + ch.length > 73) {
          out += '=\r\n';
          len = 0;
        }
        out += ch;
        len += ch.length;
      }
      return out;
    })
    .join('\r\n');
}

function textPart(text: string) {
  return `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${quotedPrintable(text)}\r\n`;
}

function htmlPart(text: string) {
  const html = `<html><body><div style="font-family:Calibri,sans-serif">${text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .split('\n')
    .map((l) => `<p>${l || '&nbsp;'}</p>`)
    .join('')}</div></body></html>`;
  return `Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${quotedPrintable(html)}\r\n`;
}

function attachment(filename: string, type: string, content: Buffer) {
  // RFC 2231 for non-ASCII file names, plus a plain fallback for old parsers.
  const name = hasNonAscii(filename) ? `filename*=UTF-8''${encodeURIComponent(filename)}` : `filename="${filename}"`;
  return `Content-Type: ${type}; name="${hasNonAscii(filename) ? 'attachment' : filename}"\r\nContent-Disposition: attachment; ${name}\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(content)}\r\n`;
}

function multipart(type: string, boundary: string, parts: string[]) {
  return {
    header: `Content-Type: multipart/${type}; boundary="${boundary}"`,
    body: `This is a multi-part message in MIME format.\r\n\r\n${parts.map((p) => `--${boundary}\r\n${p}`).join('\r\n')}\r\n--${boundary}--\r\n`,
  };
}

export interface GenerateOptions {
  owner: string;
  folders: Record<string, number>;
  months: number;
  seed: number;
  now: Date;
}

export function generateMailbox(o: GenerateOptions): GeneratedMessage[] {
  const rand = rng(o.seed);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const total = Object.values(o.folders).reduce((a, b) => a + b, 0);
  const span = o.months * 30 * 86400_000;
  // Ascending dates, so replies always come after what they answer.
  const dates = Array.from({ length: total }, () => o.now.getTime() - Math.floor(rand() * span)).sort((a, b) => a - b);
  const folderOf: string[] = [];
  for (const [folder, n] of Object.entries(o.folders)) for (let i = 0; i < n; i++) folderOf.push(folder);
  // Shuffle folders over time (Fisher-Yates) so every folder spans the whole period.
  for (let i = folderOf.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [folderOf[i], folderOf[j]] = [folderOf[j], folderOf[i]];
  }

  const owner = { name: o.owner.split('@')[0].replace(/[-._]/g, ' '), address: o.owner };
  const out: GeneratedMessage[] = [];
  const threads: { messageId: string; references: string[]; subject: string }[] = [];

  for (let i = 0; i < total; i++) {
    const folder = folderOf[i];
    const date = new Date(dates[i]);
    const q = i % 2 === 0;
    const other = pick(PEOPLE);
    const outgoing = folder === 'Sent Items' || folder === 'Drafts';
    const from = outgoing ? owner : other;
    const to = outgoing ? other : owner;
    const digest = createHash('sha1').update(`${o.seed}:${o.owner}:${i}`).digest('hex').slice(0, 20);
    const messageId = `<${digest}.${i}@${from.address.split('@')[1]}>`;

    let subject = pick(SUBJECTS);
    let inReplyTo: string | undefined;
    let references: string[] = [];
    // About a third of the mail continues an earlier conversation.
    if (threads.length && rand() < 0.35) {
      const parent =
        threads[Math.floor(rand() * Math.min(threads.length, 40)) + Math.max(0, threads.length - 40)] ??
        threads[threads.length - 1];
      subject = `Re: ${parent.subject.replace(/^Re: /, '')}`;
      inReplyTo = parent.messageId;
      references = [...parent.references, parent.messageId].slice(-10);
    }
    threads.push({ messageId, references, subject });

    const text = `${pick(LINES)}\n\n-- \n${from.name}`;
    const kind = rand();
    let content: { header: string; body: string };
    if (kind < 0.4) {
      const part = textPart(text);
      const [h, ...b] = part.split('\r\n\r\n');
      content = { header: h, body: b.join('\r\n\r\n') };
    } else if (kind < 0.75) {
      content = multipart('alternative', `alt_${digest}`, [textPart(text), htmlPart(text)]);
    } else {
      const alt = multipart('alternative', `alt_${digest}`, [textPart(text), htmlPart(text)]);
      const pdfSize = 2048 + Math.floor(rand() * 30000);
      const pdf = Buffer.concat([
        Buffer.from('%PDF-1.4\n'),
        createHash('sha512').update(digest).digest(),
        Buffer.alloc(pdfSize, 0x20),
        Buffer.from('\n%%EOF\n'),
      ]);
      const files = [attachment(rand() < 0.5 ? 'Präsentation Q3.pdf' : 'report.pdf', 'application/pdf', pdf)];
      if (rand() < 0.5) files.push(attachment('pixel.png', 'image/png', PNG));
      content = multipart('mixed', `mix_${digest}`, [`${alt.header}\r\n\r\n${alt.body}`, ...files]);
    }

    const headers = [
      `Return-Path: <${from.address}>`,
      `From: ${address(from, q)}`,
      `To: ${address(to, !q)}`,
      `Subject: ${encodeWord(subject, q)}`,
      `Date: ${rfc2822(date)}`,
      `Message-ID: ${messageId}`,
      ...(inReplyTo ? [`In-Reply-To: ${inReplyTo}`, `References: ${references.join(' ')}`] : []),
      'MIME-Version: 1.0',
      content.header,
    ];
    const old = o.now.getTime() - date.getTime() > 3 * 86400_000;
    let flags = '';
    if (folder === 'Drafts') flags += 'D';
    if (rand() < 0.05) flags += 'F';
    if (inReplyTo && rand() < 0.3) flags += 'R';
    if (outgoing || old || folder === 'Deleted Items') flags += 'S';
    out.push({ folder, raw: `${headers.join('\r\n')}\r\n\r\n${content.body}`, date, maildirFlags: flags, messageId });
  }
  return out;
}

/** Spreads `count` over Outlook's folders: most in the Inbox, a few in each other folder. */
export function defaultDistribution(count: number): Record<string, number> {
  const shares: [string, number][] = [
    ['Sent Items', 0.12],
    ['Archive', 0.08],
    ['Deleted Items', 0.04],
    ['Junk Email', 0.03],
    ['Drafts', 0.02],
  ];
  const out: Record<string, number> = {};
  let rest = count;
  for (const [folder, share] of shares) {
    const n = Math.min(rest, Math.max(count >= 12 ? 1 : 0, Math.floor(count * share)));
    if (n) out[folder] = n;
    rest -= n;
  }
  return { INBOX: rest, ...out };
}
