/**
 * `npm run bench [-- scenario…]`: starts a mail stack of its own (name `bench`, ports from 24800, so it never
 * collides with a test run), runs each scenario in a fresh Node process that trusts the stack's test CA (Node
 * reads NODE_EXTRA_CA_CERTS only at start), prints the table and writes it to BENCHMARKS.md with the command, the
 * machine and its load. Not part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { ensureTestCa } from '../test/mail-stack/ca';
import { startMailStack, stopMailStack } from '../test/mail-stack/stack';
import { previousResults, renderMarkdown, renderTable } from './lib/report';
import type { ScenarioResult } from './lib/result';
import { SCENARIOS } from './scenarios';

const root = path.resolve(__dirname, '..');
const STACK_NAME = process.env.BENCH_MAILSTACK_NAME || 'bench';
const PORT_BASE = Number(process.env.BENCH_MAILSTACK_PORT_BASE || 24800);
const PG_DATABASE = process.env.BENCH_PG_DATABASE || 'mailbridge_bench';
const pg = {
  host: process.env.BENCH_PG_HOST || '127.0.0.1',
  port: Number(process.env.BENCH_PG_PORT || 5432),
  user: process.env.BENCH_PG_USER || 'postgres',
  password: process.env.BENCH_PG_PASSWORD || '',
};

async function freshPgDatabase() {
  const client = new Client({ ...pg, database: 'postgres' });
  await client.connect();
  try {
    // A fresh database every run: tables left by an older version of the plugin would keep their old indexes.
    await client.query(`DROP DATABASE IF EXISTS "${PG_DATABASE}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${PG_DATABASE}"`);
  } finally {
    await client.end();
  }
}

function runScenario(name: string, env: NodeJS.ProcessEnv, tmp: string): ScenarioResult {
  const out = path.join(tmp, `${name}.json`);
  const dbEnv: NodeJS.ProcessEnv =
    SCENARIOS[name].db === 'postgres'
      ? {
          DB_DIALECT: 'postgres',
          DB_HOST: pg.host,
          DB_PORT: String(pg.port),
          DB_USER: pg.user,
          DB_PASSWORD: pg.password,
          DB_DATABASE: PG_DATABASE,
        }
      : { DB_DIALECT: 'sqlite', DB_STORAGE: path.join(tmp, `${name}.sqlite`) };
  const loadBefore = os.loadavg();
  const started = Date.now();
  // BENCH_NODE_ARGS passes flags to the scenario's process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it.
  const nodeArgs = (process.env.BENCH_NODE_ARGS || '').split(/\s+/).filter(Boolean);
  const res = spawnSync(
    process.execPath,
    ['--expose-gc', ...nodeArgs, '--import', 'tsx', path.join(__dirname, 'worker.ts'), name],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...env, ...dbEnv, BENCH_OUT: out },
    },
  );
  if (res.status !== 0 || !fs.existsSync(out)) {
    return {
      scenario: name,
      rows: [{ name: `${name}: failed (exit ${res.status})`, value: 'see the output above', runs: '-' }],
      loadavg: os.loadavg(),
      notes: [],
    };
  }
  const result = JSON.parse(fs.readFileSync(out, 'utf8')) as ScenarioResult;
  result.date = new Date(started).toISOString();
  result.notes = [
    `load ${loadBefore.map((l) => l.toFixed(2)).join(' / ')} before, ${result.loadavg.map((l) => l.toFixed(2)).join(' / ')} after (1/5/15 min); ${((Date.now() - started) / 1000).toFixed(0)} s`,
  ];
  return result;
}

async function main() {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  if (process.argv.includes('--list')) {
    for (const [n, s] of Object.entries(SCENARIOS)) console.log(`${n.padEnd(16)} ${s.title}`);
    return;
  }
  const names = wanted.length ? wanted : Object.keys(SCENARIOS);
  const unknown = names.filter((n) => !SCENARIOS[n]);
  if (unknown.length)
    throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);

  const { caPath } = await ensureTestCa();
  if (names.some((n) => SCENARIOS[n].db === 'postgres')) await freshPgDatabase();
  const stack = await startMailStack({ name: STACK_NAME, portBase: PORT_BASE, fresh: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mailbridge-bench-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_EXTRA_CA_CERTS: caPath,
    MAILSTACK_NAME: STACK_NAME,
    MAILSTACK_PORT_BASE: String(PORT_BASE),
    MAILSTACK: JSON.stringify(stack),
    APP_ENV: 'test',
    LOGGER_SILENT: 'true',
    NODE_MODULES_PATH: path.join(root, 'node_modules'),
    STORAGE_PATH: path.join(tmp, 'storage'),
    APP_KEY: 'bench-app-key',
  };
  const results: ScenarioResult[] = [];
  try {
    for (const name of names) {
      console.log(`\n== ${name}: ${SCENARIOS[name].title}`);
      const r = runScenario(name, env, tmp);
      results.push(r);
      console.log(renderTable(r.rows));
    }
  } finally {
    await stopMailStack(STACK_NAME);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const command = `npm run bench${wanted.length ? ` -- ${wanted.join(' ')}` : ''}`;
  for (const r of results) Object.assign(r, { command, date: r.date ?? new Date().toISOString() });
  console.log(`\n${renderTable(results.flatMap((r) => r.rows))}`);
  // A partial run replaces its own scenarios and keeps the others' last figures (each says when and how it ran).
  const file = path.join(root, 'BENCHMARKS.md');
  const merged = new Map(
    previousResults(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null).map((r) => [r.scenario, r]),
  );
  for (const r of results) merged.set(r.scenario, r);
  const ordered = Object.keys(SCENARIOS)
    .filter((n) => merged.has(n))
    .map((n) => merged.get(n) as ScenarioResult);
  fs.writeFileSync(file, renderMarkdown({ results: ordered }));
  console.log('\nwritten to BENCHMARKS.md');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
