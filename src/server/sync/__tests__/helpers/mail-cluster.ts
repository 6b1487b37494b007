/**
 * Two app nodes on one PostgreSQL database (createMockCluster) with the plugin, its settings pointed at the identity
 * stand-in and the loopback IMAP server, for the tests of what several nodes do together.
 */
import { createMockCluster } from '@nocobase/test';
import { registerApp } from '../../../../../test/mail-stack/client';
import { standInSettings, testRedirectUri, userAgent } from '../../../../../test/helpers/mail-app';
import { APP_PLUGINS } from '../../../../../test/helpers/plugin-app';
import PluginEmailManagerServer from '../../../plugin';
import type { MailReadingOptions } from '../../register';
import { imapPort } from './reading-app';

// Several nodes only share state through a real database server.
export const onPostgres = process.env.DB_DIALECT === 'postgres' ? describe : describe.skip;

export type MailCluster = Awaited<ReturnType<typeof createMockCluster>>;

export async function createMailCluster(
  reading: MailReadingOptions,
  extraPlugins: string[] = [],
): Promise<MailCluster> {
  const cluster = await createMockCluster({
    number: 2,
    plugins: [...APP_PLUGINS, ...extraPlugins, [PluginEmailManagerServer, { name: 'email-manager', reading }]],
    acl: true,
    registerActions: true,
  } as never);
  const { agent: admin } = await userAgent(cluster.nodes[0], 'admin');
  const registration = await registerApp({ redirectUris: [testRedirectUri(cluster.nodes[0])] });
  const res = await admin
    .resource('mailSettings')
    .update({ values: standInSettings(registration, { imapHost: 'localhost', imapPort: imapPort('full') }) });
  if (res.status !== 200) throw new Error(`saving settings failed: ${res.status} ${JSON.stringify(res.body)}`);
  return cluster;
}
