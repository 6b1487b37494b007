/**
 * A sign-in host that is not Microsoft: HTTPS on loopback (the stack's trusted localhost certificate), publishing
 * an OpenID configuration like any OAuth server and recording every request that reaches it, bodies included.
 * It shows where a client secret would go, and how the plugin copes with a token endpoint that answers like a
 * generic OAuth server or not at all.
 */
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { getStack } from '../mail-stack/client';

export type TokenAnswer = 'generic-invalid-grant' | 'hang';

export interface RecordedRequest {
  method: string;
  path: string;
  body: string;
}

export interface LoopbackAuthority {
  /** `localhost:<port>`, as the authority host setting takes it. */
  host: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startLoopbackAuthority(token: TokenAnswer = 'generic-invalid-grant'): Promise<LoopbackAuthority> {
  const dir = path.dirname(getStack().caPath);
  const requests: RecordedRequest[] = [];
  const server = https.createServer(
    { cert: fs.readFileSync(path.join(dir, 'localhost.pem')), key: fs.readFileSync(path.join(dir, 'localhost.key')) },
    (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const url = new URL(req.url || '/', `https://${host}`);
        requests.push({ method: req.method || '', path: url.pathname, body });
        const tenant = url.pathname.split('/')[1];
        const send = (status: number, json: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(json));
        };
        if (url.pathname.endsWith('/.well-known/openid-configuration')) {
          const base = `https://${host}/${tenant}`;
          return send(200, {
            issuer: `${base}/v2.0`,
            authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
            token_endpoint: `${base}/oauth2/v2.0/token`,
            jwks_uri: `${base}/discovery/v2.0/keys`,
            end_session_endpoint: `${base}/oauth2/v2.0/logout`,
            response_types_supported: ['code'],
          });
        }
        if (url.pathname.endsWith('/oauth2/v2.0/token')) {
          if (token === 'hang') return undefined;
          // RFC 6749 §5.2 without Microsoft's AADSTS numbers: what Keycloak and most OAuth servers answer.
          return send(400, { error: 'invalid_grant', error_description: 'Code not valid' });
        }
        return send(404, { error: 'not_found' });
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `localhost:${(server.address() as AddressInfo).port}`;
  return {
    host,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
