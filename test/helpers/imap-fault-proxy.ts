/**
 * A TLS proxy in front of one of the stack's Dovecots that answers chosen commands itself, for server answers
 * Dovecot never gives on its own (Outlook's throttling, a folder refused with NO). Everything else passes through
 * untouched, so the session still talks to the real server. It terminates TLS with the stack's own certificate:
 * the plugin sees the same `localhost` name and CA as with Dovecot itself.
 */
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { ensureTestCa } from '../mail-stack/ca';

/** Given a client command without its tag (e.g. `SELECT "Projects"`), the tagged answer to give, or null to pass it on. */
export type FaultRule = (command: string) => string | null;

export interface ImapFaultProxy {
  port: number;
  /** Replaces the rule for commands from now on (connections already open included). */
  setRule(rule: FaultRule | null): void;
  /** Commands the proxy answered itself so far, in order. */
  answered: string[];
  close(): Promise<void>;
}

export async function startImapFaultProxy(upstreamPort: number): Promise<ImapFaultProxy> {
  const ca = await ensureTestCa();
  let rule: FaultRule | null = null;
  const answered: string[] = [];
  const sockets = new Set<net.Socket>();

  const server = tls.createServer(
    { cert: fs.readFileSync(ca.certPath), key: fs.readFileSync(ca.keyPath) },
    (client) => {
      const upstream = tls.connect({
        host: '127.0.0.1',
        port: upstreamPort,
        servername: 'localhost',
        ca: fs.readFileSync(ca.caPath),
      });
      sockets.add(client).add(upstream);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
      upstream.pipe(client);

      // Client commands are CRLF-terminated lines; literal data (rare in what the plugin sends while syncing) is
      // forwarded as it comes, since it never starts with a tag and a matching command.
      let pending = '';
      client.on('data', (chunk: Buffer) => {
        pending += chunk.toString('latin1');
        let at: number;
        while ((at = pending.indexOf('\r\n')) >= 0) {
          const line = pending.slice(0, at);
          pending = pending.slice(at + 2);
          const m = /^(\S+) (.*)$/.exec(line);
          const answer = m && rule ? rule(m[2]) : null;
          if (m && answer) {
            answered.push(m[2]);
            client.write(`${m[1]} ${answer}\r\n`);
          } else {
            upstream.write(Buffer.from(`${line}\r\n`, 'latin1'));
          }
        }
      });
    },
  );
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    port: (server.address() as net.AddressInfo).port,
    setRule(next) {
      rule = next;
    },
    answered,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
