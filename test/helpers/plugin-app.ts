import { createMockServer, MockServer } from '@nocobase/test';
import PluginEmailManagerServer from '../../src/server';

/** The plugins a real NocoBase app runs beside ours; without them ACL, users and auth behave differently. */
export const APP_PLUGINS = [
  'field-sort',
  'error-handler',
  'data-source-main',
  'data-source-manager',
  'users',
  'acl',
  'auth',
  'system-settings',
  'ui-schema-storage',
  'user-data-sync',
];

/** Boots NocoBase for real (install + start) with ACL on, on the database the DB_* environment selects. */
export async function createPluginApp(options: { pluginOptions?: Record<string, unknown> } = {}): Promise<MockServer> {
  return createMockServer({
    plugins: [...APP_PLUGINS, [PluginEmailManagerServer, { name: 'email-manager', ...options.pluginOptions }]],
    acl: true,
    registerActions: true,
  });
}
