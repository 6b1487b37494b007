/**
 * Sending: `mailMessages:send` over HTTP (validation, outbox row, MIME, token, SMTP submission with XOAUTH2,
 * outbox update) against raw nodemailer submitting the same message to the same Postfix with a token in hand,
 * alternating. Both connect, STARTTLS and authenticate per message; the recipient is outside the stack's domain
 * (Postfix hands it to the sink), so local delivery does not weigh on either.
 */
import fs from 'node:fs';
import nodemailer from 'nodemailer';
import { getStack, issueAccessToken } from '../../test/mail-stack/client';
import { benchApp, connectedUser, listeningAgent } from '../lib/bench-app';
import type { BenchRow } from '../lib/result';
import { fmtMs, median, timed } from '../lib/stats';

const RUNS = 10;
const RECIPIENT = 'bench-recipient@example.net';

export async function sendScenario(): Promise<BenchRow[]> {
  const { app } = await benchApp();
  try {
    const user = await connectedUser(app);
    const agent = await listeningAgent(app, user.user);
    const stack = getStack();
    const ca = fs.readFileSync(stack.caPath);
    const token = await issueAccessToken(user.email);
    const text = 'Hello,\n\nthe figures are attached below.\n\nRegards\n'.repeat(20);

    const viaPlugin = async (i: number) => {
      const res = await agent
        .resource('mailMessages')
        .send({ values: { accountId: user.accountId, to: [RECIPIENT], subject: `Plugin ${i}`, text } });
      if (res.status !== 200 || res.body.data.state !== 'sent')
        throw new Error(`send: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    };
    const viaNodemailer = async (i: number) => {
      const transport = nodemailer.createTransport({
        host: stack.smtp.host,
        port: stack.smtp.port,
        secure: false,
        requireTLS: true,
        tls: { ca },
        auth: { type: 'OAuth2', user: user.email, accessToken: token },
      });
      try {
        await transport.sendMail({ from: user.email, to: RECIPIENT, subject: `Raw ${i}`, text });
      } finally {
        transport.close();
      }
    };

    await viaPlugin(-1);
    await viaNodemailer(-1);
    const plugin: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      plugin.push((await timed(() => viaPlugin(i))).ms);
      raw.push((await timed(() => viaNodemailer(i))).ms);
    }
    const p = median(plugin);
    const r = median(raw);
    return [
      {
        name: 'Send a text message (mailMessages:send over HTTP, to the sink through Postfix)',
        value: `${fmtMs(p)} (plugin overhead ${fmtMs(p - r)})`,
        reference: `raw nodemailer ${fmtMs(r)}; ratio ${(p / r).toFixed(2)}×`,
        runs: `median of ${RUNS} each, alternating, after one warm-up`,
      },
    ];
  } finally {
    await app.destroy();
  }
}
