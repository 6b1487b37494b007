/**
 * A proxy in front of the stack's submission server (Postfix, STARTTLS) that can hold back the server's answer to
 * the end of a message's DATA: the server has taken the message and queued it, the client never hears so. A test
 * kills the sending process at that moment, the one point where SMTP cannot tell a sender whether it sent. All
 * else passes through untouched. Like the IMAP fault proxy, it speaks TLS with the stack's own certificate, so
 * the client sees the same `localhost` name and CA as with Postfix itself.
 */
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { ensureTestCa } from '../mail-stack/ca';

export interface SmtpHoldProxy {
  port: number;
  /**
   * The next answer to an end of DATA is held back for good; resolves once the server gave it (the message is
   * queued at the server) and the proxy kept it from the client.
   */
  holdNextAcceptance(): Promise<string>;
  close(): Promise<void>;
}

export async function startSmtpHoldProxy(upstreamPort: number): Promise<SmtpHoldProxy> {
  const ca = await ensureTestCa();
  const secureContext = tls.createSecureContext({
    cert: fs.readFileSync(ca.certPath),
    key: fs.readFileSync(ca.keyPath),
  });
  const caCert = fs.readFileSync(ca.caPath);
  let hold: ((reply: string) => void) | null = null;
  const sockets = new Set<net.Socket>();

  const server = net.createServer((plainClient) => {
    const plainUpstream = net.connect(upstreamPort, '127.0.0.1');
    let client: net.Socket = plainClient;
    let upstream: net.Socket = plainUpstream;
    const track = (s: net.Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    };
    track(plainClient);
    track(plainUpstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const s of [plainClient, plainUpstream]) s.on('error', end).on('close', end);

    // What the client said, read line by line between commands; in DATA only the end (CRLF.CRLF, RFC 5321
    // §4.1.1.4) matters, and a dot-stuffed body cannot contain it.
    let mode: 'command' | 'data' = 'command';
    let pending = '';
    let startTls = false;
    let dataEnded = false;
    let holding: ((reply: string) => void) | null = null;

    const fromClient = (chunk: Buffer) => {
      upstream.write(chunk);
      pending += chunk.toString('latin1');
      if (mode === 'command') {
        let at: number;
        while (mode === 'command' && (at = pending.indexOf('\r\n')) >= 0) {
          const line = pending.slice(0, at).toUpperCase();
          pending = pending.slice(at + 2);
          if (line === 'STARTTLS') startTls = true;
          if (line === 'DATA') mode = 'data';
        }
      }
      if (mode === 'data') {
        const at = pending.indexOf('\r\n.\r\n');
        if (at < 0) {
          pending = pending.slice(-4);
          return;
        }
        pending = pending.slice(at + 5);
        mode = 'command';
        dataEnded = true;
        // Armed now: only the message whose DATA just ended is held, whatever hold is asked later.
        holding = hold;
        hold = null;
      }
    };

    const fromUpstream = (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      if (dataEnded && holding) {
        // The first answer after the end of DATA is the one to that DATA (nodemailer pipelines nothing after it).
        dataEnded = false;
        holding(text.trim());
        holding = null;
        return;
      }
      if (dataEnded && /^\d{3} /m.test(text)) dataEnded = false;
      client.write(chunk);
      if (startTls && text.startsWith('220')) upgrade();
    };

    // RFC 3207: after "220 Ready to start TLS" both sides begin TLS on the same connection.
    const upgrade = () => {
      startTls = false;
      plainClient.removeListener('data', fromClient);
      plainUpstream.removeListener('data', fromUpstream);
      client = new tls.TLSSocket(plainClient, { isServer: true, secureContext });
      upstream = tls.connect({ socket: plainUpstream, servername: 'localhost', ca: caCert });
      client.on('error', end);
      upstream.on('error', end);
      client.on('data', fromClient);
      upstream.on('data', fromUpstream);
    };

    plainClient.on('data', fromClient);
    plainUpstream.on('data', fromUpstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    port: (server.address() as net.AddressInfo).port,
    holdNextAcceptance: () => new Promise<string>((resolve) => (hold = resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
