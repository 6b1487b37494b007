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

/**
 * Official plugins of a stock app that read any collection on request: charts, export, the API documentation (its
 * "try it" calls the generic routes). Suites about generic data paths load them; the others need not pay for them.
 */
export const GENERIC_DATA_PLUGINS = ['flow-engine', 'data-visualization', 'action-export', 'api-doc'];

/**
 * The app's plugins with the extra ones: the file manager before system settings, whose install stores the app's
 * logo through it when it is there (after it, the file manager has no storage yet and the install fails).
 */
function appPlugins(extra: string[]): string[] {
  const early: string[] = extra.filter((p) => p === 'file-manager');
  const at = APP_PLUGINS.indexOf('system-settings');
  return [...APP_PLUGINS.slice(0, at), ...early, ...APP_PLUGINS.slice(at), ...extra.filter((p) => !early.includes(p))];
}

/** Boots NocoBase for real (install + start) with ACL on, on the database the DB_* environment selects. */
export async function createPluginApp(
  options: { pluginOptions?: Record<string, unknown>; extraPlugins?: string[] } = {},
): Promise<MockServer> {
  return createMockServer({
    plugins: [
      ...appPlugins(options.extraPlugins ?? []),
      [PluginEmailManagerServer, { name: 'email-manager', ...options.pluginOptions }],
    ],
    acl: true,
    registerActions: true,
    // NocoBase's test server ignores DB_POOL_MAX, which `nocobase start` honours: a bench can size the pool as a
    // deployment would.
    ...(process.env.DB_POOL_MAX ? { database: { pool: { max: Number(process.env.DB_POOL_MAX) } } } : {}),
  });
}
