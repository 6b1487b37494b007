/**
 * Several `nocobase start` processes of one app, as a cluster deployment runs them: one PostgreSQL database, one
 * APP_KEY and storage, the plugin installed from its packed tarball (scripts/app, as `npm run app` does), each
 * process on its own port. Processes are killed as a crash would kill them (SIGKILL to the whole group).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { AesEncryptor } from '@nocobase/server';
import { describeInstance, Instance, RunningApp, startServer } from '../../scripts/app/instance';
import type { AppOptions } from '../../scripts/app/options';
import { PACKAGE_NAME } from '../../scripts/app/plugin-package';
import { APP_DIR, prepareApp } from '../../scripts/app/prepare';

export interface ClusterNode {
  instance: Instance;
  running: RunningApp;
  /** The process group of the node's server: every process it started. */
  group: number;
}

function databaseOptions(database: string): AppOptions['db'] {
  return {
    dialect: 'postgres',
    host: process.env.DB_HOST ?? '127.0.0.1',
    port: Number(process.env.DB_PORT ?? 5432),
    database,
    user: process.env.DB_USER ?? 'postgres',
    password: process.env.DB_PASSWORD ?? '',
  };
}

/** A client on the cluster's database, for what the test reads there directly. */
export async function clusterDatabase(database: string): Promise<Client> {
  const db = databaseOptions(database);
  const client = new Client({ host: db.host, port: db.port, user: db.user, password: db.password, database });
  await client.connect();
  return client;
}

async function recreateDatabase(database: string) {
  const admin = await clusterDatabase('postgres');
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
}

/**
 * A fresh app on a fresh database: installed once through the first instance, then `count` processes started on
 * consecutive ports from `port`, all reading the first instance's settings but their port. `pluginOptions` go where
 * an app keeps a plugin's options (its `applicationPlugins` row).
 */
export async function startCluster(options: {
  count: number;
  port: number;
  database: string;
  pluginOptions: Record<string, unknown>;
}): Promise<ClusterNode[]> {
  await recreateDatabase(options.database);
  const appOptions: AppOptions = {
    instance: `cluster-${options.port}`,
    port: options.port,
    db: databaseOptions(options.database),
    sandbox: false,
    start: false,
  };
  // The database is new: so must the instance's storage be, or prepareApp would take it as installed.
  fs.rmSync(describeInstance(APP_DIR, appOptions).storageDir, { recursive: true, force: true });
  const { instance: first } = await prepareApp(appOptions);

  const db = await clusterDatabase(options.database);
  try {
    await db.query(`UPDATE "applicationPlugins" SET options = $1 WHERE "packageName" = $2`, [
      JSON.stringify(options.pluginOptions),
      PACKAGE_NAME,
    ]);
  } finally {
    await db.end();
  }

  const env = fs.readFileSync(first.envPath, 'utf8');
  const instances = Array.from({ length: options.count }, (_, i) => {
    const port = options.port + i;
    const instance = describeInstance(APP_DIR, { ...appOptions, instance: `${appOptions.instance}-node${i}`, port });
    fs.mkdirSync(path.dirname(instance.envPath), { recursive: true });
    fs.writeFileSync(instance.envPath, env.replace(/^APP_PORT=.*$/m, `APP_PORT=${port}`));
    return instance;
  });
  // The first start of a fresh app seeds rows (the AI plugin's employees) with plain inserts: two processes
  // starting at once on the new database collide on a unique key, and the loser never serves. A deployment, too,
  // lets one node finish that before the others start.
  const [head, ...rest] = instances;
  const started = [await settled(startServer(head))];
  started.push(...(await Promise.allSettled(rest.map((instance) => startServer(instance)))));
  const nodes: ClusterNode[] = [];
  started.forEach((result, i) => {
    if (result.status === 'fulfilled')
      nodes.push({ instance: instances[i], running: result.value, group: result.value.process.pid! });
  });
  if (nodes.length < instances.length) {
    await stopCluster(nodes);
    throw (started.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
  }
  return nodes;
}

export async function stopCluster(nodes: ClusterNode[]) {
  await Promise.all(nodes.map((node) => node.running.stop()));
}

/** The node a process of the app belongs to (its process group), from /proc. */
export function nodeOfPid(nodes: ClusterNode[], pid: number): ClusterNode | undefined {
  let group: number;
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid pgrp …"; comm may contain spaces, so read after the last ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
  return nodes.find((node) => node.group === group);
}

/**
 * The app's encryptor, as its processes build it (NocoBase's AesEncryptor: the key file in the storage they
 * share), for what a test must read or write encrypted in the database, such as a mailbox's token cache.
 */
export function clusterEncryptor(node: ClusterNode): AesEncryptor {
  const env = fs.readFileSync(node.instance.envPath, 'utf8');
  const value = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(env)?.[1]?.trim();
  const hex = value('APP_AES_SECRET_KEY');
  if (hex) return new AesEncryptor(Buffer.from(hex, 'hex'));
  const storage = value('STORAGE_PATH') ?? node.instance.storageDir;
  const file = ['apps', 'environment-variables']
    .map((folder) => path.join(storage, folder, 'main', 'aes_key.dat'))
    .find((candidate) => fs.existsSync(candidate));
  if (!file) throw new Error(`no encryption key of the app under ${storage}`);
  return new AesEncryptor(fs.readFileSync(file));
}

/** SIGKILL to every process of the node at once, as a crash or the OOM killer would end it. */
export function killNode(node: ClusterNode) {
  process.kill(-node.group, 'SIGKILL');
}

function settled<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return promise.then(
    (value) => ({ status: 'fulfilled', value }),
    (reason) => ({ status: 'rejected', reason }),
  );
}
