/**
 * A real connect through the identity stand-in with NocoBase's own loggers writing to files, as a production app's
 * do: the authorization code and the state must not be in any log file (request_*.log above all), in a URL the
 * browser keeps, or in a Referer the callback's page could send.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MockServer } from '@nocobase/test';
import {
  callbackPath,
  configureStandIn,
  createMailApp,
  pageMessage,
  returnToApp,
  userAgent,
} from '../helpers/mail-app';
import { newMailboxAddress, signInReturn } from '../helpers/stand-in';
import { waitFor } from '../helpers/wait-for';

const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'mailbridge-logs-'));
const env = { ...process.env };

function logText(): string {
  const dir = path.join(storage, 'logs');
  if (!fs.existsSync(dir)) return '';
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
  return files.map((f) => fs.readFileSync(path.join(f.parentPath ?? f.path, f.name), 'utf8')).join('\n');
}

describe('authorization codes and states stay out of logs, history and Referer headers', () => {
  let app: MockServer;

  beforeAll(async () => {
    Object.assign(process.env, {
      LOGGER_SILENT: 'false',
      LOGGER_TRANSPORT: 'dailyRotateFile',
      LOGGER_LEVEL: 'debug',
      STORAGE_PATH: storage,
    });
    ({ app } = await createMailApp());
    await configureStandIn(app, (await userAgent(app, 'admin')).agent);
  });

  afterAll(async () => {
    await app?.destroy();
    process.env = env;
    fs.rmSync(storage, { recursive: true, force: true });
  });

  it('after real connects (one refused), no log file holds a code or a state, and no URL carries them', async () => {
    const { agent } = await userAgent(app);
    const secrets: string[] = [];
    for (const consent of [true, true, false]) {
      const start = await agent.resource('mailAccounts').connect();
      const returned = await signInReturn(start.body.data.authorizeUrl, newMailboxAddress('logs'), { consent });
      secrets.push(returned.fields.state, ...(returned.fields.code ? [returned.fields.code] : []));
      // The address the browser lands on (history, Referer) is the bare redirect URI.
      expect(callbackPath(returned.url)).toBe('/mailOAuth:callback');
      expect(returned.method).toBe('POST');
      const res = await returnToApp(agent, returned);
      expect(pageMessage(res.text).ok).toBe(consent);
    }
    expect(secrets.length).toBe(5);

    await waitFor(async () => (logText().match(/mailOAuth:callback/g) ?? []).length >= 6, {
      what: 'the callbacks in the request log',
    });
    const logs = logText();
    for (const value of secrets) expect({ value, inLogs: logs.includes(value) }).toEqual({ value, inLogs: false });
  });
});
