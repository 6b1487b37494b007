/**
 * Sandbox mode: the app wired to the project's local Outlook (Microsoft identity stand-in, Dovecot, Postfix),
 * so a person with no Microsoft tenant can go through the whole product. The stack runs on its own port base so
 * it can live beside the test suite's stack.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SANDBOX_APP } from '../../test/mail-stack/identity/default-app';
import { seedMailbox } from '../../test/mail-stack/seed';
import { standInSettings } from '../../test/mail-stack/settings-values';
import { startMailStack } from '../../test/mail-stack/stack';
import type { MailStack } from '../../test/mail-stack/types';
import { ADMIN } from './app-folder';
import type { Instance } from './instance';
import { NocoBaseApi } from './nocobase-api';

export const SANDBOX_PORT_BASE = 24400;
export const SANDBOX_PASSWORD = 'sandbox123';
/** NocoBase users, each with a seeded mailbox of the same address on the stand-in. */
export const SANDBOX_USERS = [
  { email: 'alice@example.test', nickname: 'Alice', messages: 120 },
  { email: 'bob@example.test', nickname: 'Bob', messages: 40 },
];

export async function startSandboxStack(instance: Instance): Promise<MailStack> {
  const callback = `${instance.url}/api/mailOAuth:callback`;
  return startMailStack({
    name: 'sandbox',
    portBase: SANDBOX_PORT_BASE,
    defaultApp: { ...SANDBOX_APP, redirectUris: [...new Set([...SANDBOX_APP.redirectUris, callback])] },
  });
}

/** What the app's process needs to reach the stack: trust in its test CA (read by Node only at start). */
export function sandboxEnvironment(stack: MailStack): Record<string, string> {
  return { NODE_EXTRA_CA_CERTS: stack.caPath };
}

async function ensureUser(api: NocoBaseApi, user: (typeof SANDBOX_USERS)[number]) {
  const found = (await api.call(`users:list?filter=${encodeURIComponent(JSON.stringify({ email: user.email }))}`)) as {
    data: unknown[];
  };
  if (found.data.length) return;
  await api.call('users:create', {
    email: user.email,
    nickname: user.nickname,
    username: user.email.split('@')[0],
    password: SANDBOX_PASSWORD,
    roles: ['member'],
  });
}

/** Saves the mail settings an admin would enter, creates the sandbox users and seeds their mailboxes once. */
export async function provisionSandbox(instance: Instance, stack: MailStack) {
  const api = new NocoBaseApi(instance.url);
  await api.signIn(ADMIN.email, ADMIN.password);
  await api.call('mailSettings:update', {
    ...standInSettings(stack, SANDBOX_APP),
    publicUrl: `${instance.url}/`,
    // The stand-in files submitted mail in "Sent Items" itself, as Outlook does; a second copy would duplicate it.
    appendSentCopy: false,
  });
  for (const user of SANDBOX_USERS) {
    await ensureUser(api, user);
    const seeded = path.join(stack.stateDir, `seeded-${user.email}`);
    if (!fs.existsSync(seeded)) {
      await seedMailbox(stack, user.email, { count: user.messages });
      fs.writeFileSync(seeded, new Date().toISOString());
    }
  }
}
