/**
 * nodemailer through Postfix's submission port: STARTTLS, XOAUTH2 with a
 * production-size token checked by Dovecot's auth, local delivery into Dovecot and
 * everything else into the sink.
 */
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { deliver, getStack, issueAccessToken, newMailboxAddress, readSink } from '../client';

function submission(user: string, accessToken?: string) {
  const { host, port } = getStack().smtp;
  return nodemailer.createTransport({
    host,
    port,
    secure: false,
    requireTLS: true,
    auth: accessToken ? { type: 'OAuth2', user, accessToken } : undefined,
  });
}

async function waitFor<T>(fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('SMTP submission (Postfix) with XOAUTH2', () => {
  it('sends with a ≥ 2 KB token, and the recipient reads subject, UTF-8 body and attachment intact over IMAP', async () => {
    const sender = newMailboxAddress('sender');
    const recipient = newMailboxAddress('recipient');
    const token = await issueAccessToken(sender);
    expect(token.length).toBeGreaterThanOrEqual(2048);
    const attachment = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 256));
    const subject = 'Réunion – 会議 ✓';
    const text = 'Grüße aus Köln — ça marche! 日本語 🙂';

    const info = await submission(sender, token).sendMail({
      from: sender,
      to: recipient,
      subject,
      text,
      attachments: [{ filename: 'Präsentation.bin', content: attachment }],
    });
    expect(info.accepted).toEqual([recipient]);

    const client = new ImapFlow({
      ...getStack().imap,
      auth: { user: recipient, accessToken: await issueAccessToken(recipient) },
      logger: false,
    });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const source = await waitFor(async () => {
        const box = await client.mailboxOpen('INBOX');
        if (!box.exists) return undefined;
        const message = await client.fetchOne('*', { source: true });
        return message ? message.source : undefined;
      });
      const parsed = await simpleParser(source!);
      expect(parsed.subject).toBe(subject);
      expect(parsed.text?.trim()).toBe(text);
      expect(parsed.from?.value[0].address).toBe(sender);
      expect(parsed.attachments).toHaveLength(1);
      expect(parsed.attachments[0].filename).toBe('Präsentation.bin');
      expect(Buffer.compare(parsed.attachments[0].content, attachment)).toBe(0);
    } finally {
      await client.logout();
    }
  });

  it('keeps mail for outside addresses in the sink, with the envelope', async () => {
    const sender = newMailboxAddress('out');
    const outside = `${newMailboxAddress('ext').split('@')[0]}@example.com`;
    await submission(sender, await issueAccessToken(sender)).sendMail({
      from: sender,
      to: outside,
      subject: 'Leaving the building',
      text: 'bye',
    });
    const [message] = await waitFor(async () => {
      const found = await readSink({ to: outside });
      return found.length ? found : undefined;
    });
    expect(message.envelopeFrom).toBe(sender);
    expect(message.parsed.subject).toBe('Leaving the building');
  });

  it('refuses a revoked or missing login, and sending as someone else', async () => {
    const sender = newMailboxAddress('smtp');
    await expect(
      submission(sender, 'not-a-token').sendMail({ from: sender, to: sender, subject: 'x', text: 'x' }),
    ).rejects.toMatchObject({ code: 'EAUTH', responseCode: 535 });
    await expect(
      submission(sender).sendMail({ from: sender, to: 'someone@example.com', subject: 'x', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 554 });
    await expect(
      submission(sender, await issueAccessToken(sender)).sendMail({
        from: newMailboxAddress('boss'),
        to: sender,
        subject: 'x',
        text: 'x',
      }),
    ).rejects.toMatchObject({ responseCode: 553 });
  });
});

describe('Sent Items', () => {
  it('gets a copy of submitted mail from the server, as Outlook files one itself', async () => {
    const sender = newMailboxAddress('copies');
    await submission(sender, await issueAccessToken(sender)).sendMail({
      from: sender,
      to: 'someone@example.com',
      subject: 'Keep a copy',
      text: 'x',
    });
    const client = new ImapFlow({
      ...getStack().imap,
      auth: { user: sender, accessToken: await issueAccessToken(sender) },
      logger: false,
    });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const copy = await waitFor(async () => {
        const status = await client.status('Sent Items', { messages: true });
        if (!status || !status.messages) return undefined;
        await client.mailboxOpen('Sent Items');
        return client.fetchOne('*', { envelope: true });
      });
      expect(copy && copy.envelope?.subject).toBe('Keep a copy');
      expect(await client.status('INBOX', { messages: true })).toMatchObject({ messages: 0 });
    } finally {
      await client.logout();
    }
  });
});

describe('deliver()', () => {
  it('delivers a raw message to the recipients in its headers, waiting until it is in their Inbox', async () => {
    const to = newMailboxAddress('raw');
    const cc = newMailboxAddress('rawcc');
    const raw = [
      'From: =?UTF-8?B?Sm9zw6kgTcO8bGxlcg==?= <jose@example.org>',
      `To: ${to}`,
      `Cc: ${cc}`,
      'Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=',
      'Message-ID: <raw-delivery-1@example.org>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hallo!',
      '',
    ].join('\r\n');
    expect(await deliver(raw)).toBe('<raw-delivery-1@example.org>');
    for (const email of [to, cc]) {
      const client = new ImapFlow({
        ...getStack().imap,
        auth: { user: email, accessToken: await issueAccessToken(email) },
        logger: false,
      });
      client.on('error', () => undefined);
      await client.connect();
      try {
        await client.mailboxOpen('INBOX');
        const message = await client.fetchOne('*', { envelope: true });
        expect(message && message.envelope?.subject).toBe('Grüße');
      } finally {
        await client.logout();
      }
    }
  });
});
