import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign,
  verify,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const b64url = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

/**
 * One RS256 key per stack, kept in its state dir so tokens held by a sandbox app
 * stay verifiable across restarts.
 */
export function loadOrCreateSigningKey(dir: string): SigningKey {
  const file = path.join(dir, 'signing-key.pem');
  let privateKey: KeyObject;
  if (fs.existsSync(file)) {
    privateKey = createPrivateKey(fs.readFileSync(file));
  } else {
    privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  const publicKey = createPublicKey(privateKey);
  // Microsoft's kid and x5t are the same base64url SHA-1 thumbprint.
  const kid = b64url(
    createHash('sha1')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest(),
  );
  return { kid, privateKey, publicKey };
}

export function jwks(key: SigningKey) {
  const { n, e } = key.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return { keys: [{ kty: 'RSA', use: 'sig', kid: key.kid, x5t: key.kid, n, e }] };
}

export function signJwt(key: SigningKey, payload: Record<string, unknown>): string {
  const header = { typ: 'JWT', alg: 'RS256', x5t: key.kid, kid: key.kid };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${b64url(sign('RSA-SHA256', Buffer.from(input), key.privateKey))}`;
}

/** Returns the payload when the signature is ours, else null (expiry is the caller's business). */
export function verifyJwt<T = Record<string, unknown>>(key: SigningKey, token: string): T | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const ok = verify(
      'RSA-SHA256',
      Buffer.from(`${parts[0]}.${parts[1]}`),
      key.publicKey,
      Buffer.from(parts[2], 'base64url'),
    );
    return ok ? JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) : null;
  } catch {
    return null;
  }
}
