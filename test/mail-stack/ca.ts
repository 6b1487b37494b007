import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { caDir, prepareMailStackRoot } from './paths';

export interface TestCa {
  caPath: string;
  caKeyPath: string;
  /** Server certificate for `localhost` / `127.0.0.1`, signed by the CA; used by every listener. */
  certPath: string;
  keyPath: string;
}

const files = {
  caPath: path.join(caDir, 'ca.pem'),
  caKeyPath: path.join(caDir, 'ca.key'),
  certPath: path.join(caDir, 'localhost.pem'),
  keyPath: path.join(caDir, 'localhost.key'),
};

function openssl(args: string[], cwd: string) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function isUsable(): boolean {
  if (!Object.values(files).every((f) => fs.existsSync(f))) return false;
  try {
    // Re-issue the server certificate well before it lapses rather than at the edge of a run.
    openssl(['x509', '-checkend', String(30 * 86400), '-noout', '-in', files.certPath], caDir);
    openssl(['verify', '-CAfile', files.caPath, files.certPath], caDir);
    return true;
  } catch {
    return false;
  }
}

function createCa(dir: string) {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '3650',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-subj',
      '/O=MailBridge/CN=MailBridge local mail stack CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
}

/** Issues the `localhost` leaf with the CA already in `dir`. */
function issueLeaf(dir: string) {
  openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-keyout',
      'localhost.key',
      '-out',
      'localhost.csr',
      '-subj',
      '/O=MailBridge/CN=localhost',
    ],
    dir,
  );
  // Node and OpenSSL check the SAN, not the CN; clients use `localhost` or `127.0.0.1`.
  fs.writeFileSync(
    path.join(dir, 'localhost.ext'),
    [
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
    ].join('\n'),
  );
  // 825 days: the longest leaf validity that strict TLS clients accept.
  openssl(
    [
      'x509',
      '-req',
      '-sha256',
      '-days',
      '825',
      '-in',
      'localhost.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-set_serial',
      `0x${Date.now().toString(16)}`,
      '-extfile',
      'localhost.ext',
      '-out',
      'localhost.pem',
    ],
    dir,
  );
  for (const f of ['localhost.csr', 'localhost.ext']) fs.rmSync(path.join(dir, f));
}

/**
 * Creates the stack's CA and `localhost` certificate once and reuses them on later
 * runs, so NODE_EXTRA_CA_CERTS and cached trust stay valid across runs and stacks.
 * Safe when several processes call it at once: the files are generated aside and
 * renamed into place under a directory lock.
 */
export async function ensureTestCa(): Promise<TestCa> {
  if (isUsable()) return { ...files };
  prepareMailStackRoot();
  const lock = `${caDir}.lock`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const since = fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (since !== undefined && Date.now() - since > 60_000) fs.rmSync(lock, { recursive: true, force: true }); // left by a killed process
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    if (isUsable()) return { ...files };
    const keepCa = fs.existsSync(files.caPath) && fs.existsSync(files.caKeyPath);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mailstack-ca-'));
    try {
      if (keepCa) {
        // Only the leaf lapsed: keep the CA so processes already trusting it keep working.
        fs.copyFileSync(files.caPath, path.join(work, 'ca.pem'));
        fs.copyFileSync(files.caKeyPath, path.join(work, 'ca.key'));
      } else {
        createCa(work);
      }
      issueLeaf(work);
      fs.mkdirSync(caDir, { recursive: true });
      for (const f of ['ca.pem', 'ca.key', 'localhost.pem', 'localhost.key']) {
        const to = path.join(caDir, f);
        fs.copyFileSync(path.join(work, f), `${to}.tmp`);
        fs.chmodSync(`${to}.tmp`, f.endsWith('.key') ? 0o600 : 0o644);
        fs.renameSync(`${to}.tmp`, to);
      }
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
    return { ...files };
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

// `npx tsx test/mail-stack/ca.ts` prints the CA path, for wrappers that set NODE_EXTRA_CA_CERTS.
if (require.main === module) {
  ensureTestCa().then(
    ({ caPath }) => process.stdout.write(`${caPath}\n`),
    (err) => {
      process.stderr.write(`${err.stack || err}\n`);
      process.exit(1);
    },
  );
}
