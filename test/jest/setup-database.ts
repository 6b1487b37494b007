// Creates the worker's PostgreSQL database when the suite runs on PostgreSQL (see setup-env.ts).
import { Client } from 'pg';

async function ensureDatabase(name: string) {
  const client = new Client({
    host: process.env.DB_HOST,
    port: Number(process.env.DB_PORT),
    user: process.env.DB_USER,
    password: process.env.DB_PASSWORD,
    database: 'postgres',
  });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } catch (err) {
    // Two workers may race to create the same database; "already exists" (42P04) means the other one won.
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await client.end();
  }
}

if (process.env.DB_DIALECT === 'postgres') {
  beforeAll(() => ensureDatabase(process.env.DB_DATABASE as string));
}
