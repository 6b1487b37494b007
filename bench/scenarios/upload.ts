/**
 * Oversized uploads: 20 requests in parallel, each posting 10 files of 15 MB (150 MB) to `mailMessages:saveDraft`
 * with the default 20 MB attachment limit. Every one must be refused with 413 and its reason, and the process's
 * RSS must not grow with what was posted. The client generates each body as it is sent (one reused chunk), so
 * what the RSS shows is the server's.
 */
import http from 'node:http';
import { tmpdir } from 'node:os';
import { readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { benchApp, connectedUser } from '../lib/bench-app';
import { peakRssGrowth } from '../lib/peak-rss';
import type { BenchRow } from '../lib/result';
import { sleep } from '../lib/stats';

const REQUESTS = 20;
const FILES = 10;
const FILE_BYTES = 15 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

const mb = (n: number) => n / 1024 / 1024;

/** A multipart/form-data body (RFC 7578) of one `values` field and FILES files, produced while it is read. */
function multipartBody(boundary: string, values: object): { stream: Readable; length: number } {
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="values"\r\n\r\n${JSON.stringify(values)}\r\n`,
  );
  const fileHead = (i: number) =>
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="part-${i}.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
  const tail = Buffer.from(`--${boundary}--\r\n`);
  let length = head.length + tail.length;
  for (let i = 0; i < FILES; i++) length += fileHead(i).length + FILE_BYTES + 2;
  function* parts() {
    yield head;
    for (let i = 0; i < FILES; i++) {
      yield fileHead(i);
      for (let left = FILE_BYTES; left > 0; left -= CHUNK.length)
        yield left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
      yield Buffer.from('\r\n');
    }
    yield tail;
  }
  return { stream: Readable.from(parts(), { objectMode: false }), length };
}

function post(port: number, token: string, values: object): Promise<{ status: number; message: string }> {
  const boundary = `bench${Math.random().toString(36).slice(2)}`;
  const { stream, length } = multipartBody(boundary, values);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/mailMessages:saveDraft',
        headers: {
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': length,
          Authorization: `Bearer ${token}`,
          'X-Authenticator': 'basic',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let message = '';
          try {
            message = JSON.parse(Buffer.concat(chunks).toString('utf8')).errors?.[0]?.message ?? '';
          } catch {
            message = Buffer.concat(chunks).toString('utf8').slice(0, 200);
          }
          resolve({ status: res.statusCode ?? 0, message });
        });
      },
    );
    req.on('error', reject);
    stream.pipe(req);
  });
}

export async function uploadScenario(): Promise<BenchRow[]> {
  const { app } = await benchApp();
  try {
    const user = await connectedUser(app);
    const server = http.createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', 1024, resolve));
    server.unref();
    const port = (server.address() as { port: number }).port;
    const { jti } = await app.authManager.tokenController.add({ userId: Number(user.user.id) });
    const token = app.authManager.jwt.sign(
      { userId: user.user.id, roleName: 'member', temp: true, signInTime: Date.now() },
      { jwtid: jti, expiresIn: '1h' },
    );
    const folders = () => readdirSync(tmpdir()).filter((n) => n.startsWith('mailbridge-upload-')).length;

    (globalThis as { gc?: () => void }).gc?.();
    await sleep(100);
    const foldersBefore = folders();
    const { value: answers, growth: growthBytes } = await peakRssGrowth(
      () =>
        Promise.all(
          Array.from({ length: REQUESTS }, (_, i) =>
            post(port, token, { accountId: user.accountId, subject: `Upload ${i}` }),
          ),
        ),
      5,
    );
    const refused = answers.filter((a) => a.status === 413 && /attachment limit of 20 MB/.test(a.message)).length;
    const stored = await app.db.getRepository('mailOutbox').count();
    const left = folders() - foldersBefore;
    const growth = mb(growthBytes);
    return [
      {
        name: `${REQUESTS} parallel saveDraft uploads of ${mb(FILES * FILE_BYTES)} MB each (limit 20 MB): peak RSS growth`,
        value: `${growth.toFixed(1)} MB`,
        reference: `${mb(REQUESTS * FILES * FILE_BYTES).toFixed(0)} MB posted in all`,
        target: '≤ 50 MB',
        met: growth <= 50,
        runs: '1 run, sampled every 5 ms',
      },
      {
        name: '  refused with 413 and the reason; nothing stored, no temp folder left',
        value: `${refused} of ${REQUESTS}; ${stored} rows; ${left} folders`,
        target: `${REQUESTS} of ${REQUESTS}; 0; 0`,
        met: refused === REQUESTS && stored === 0 && left === 0,
        runs: '1 run',
        ...(refused < REQUESTS
          ? {
              reference: `answers: ${[...new Set(answers.map((a) => `${a.status} ${a.message}`))].join(' | ').slice(0, 300)}`,
            }
          : {}),
      },
    ];
  } finally {
    await app.destroy();
  }
}
