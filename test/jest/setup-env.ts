// Runs in every jest worker before each test file. NocoBase reads its configuration from the environment.
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const worker = process.env.JEST_WORKER_ID ?? '1';

process.env.LOGGER_SILENT ??= 'true';
process.env.APP_ENV ??= 'test';
// Plugins named as strings (e.g. 'users') are resolved from here.
process.env.NODE_MODULES_PATH ??= path.join(root, 'node_modules');
// createMockServer clears <storage>/cache; keep each worker's files apart and out of the work tree.
process.env.STORAGE_PATH ??= path.join(root, '.test-storage', `worker-${worker}`);
process.env.APP_KEY ??= 'test-app-key';

if (process.env.DB_DIALECT === 'postgres') {
  // Tests drop and recreate tables, so parallel workers each get a database of their own, and a run under another
  // mail stack name (MAILSTACK_NAME, for two runs side by side) gets databases of its own too.
  const run = (process.env.MAILSTACK_NAME || 'test').replace(/[^a-z0-9]+/gi, '_').toLowerCase();
  process.env.DB_DATABASE = run === 'test' ? `mailbridge_test_${worker}` : `mailbridge_${run}_${worker}`;
  process.env.DB_HOST ??= '127.0.0.1';
  process.env.DB_PORT ??= '5432';
  process.env.DB_USER ??= 'postgres';
  process.env.DB_PASSWORD ??= '';
}
