/**
 * Runs one scenario in a process of its own (started by run.ts with the test CA trusted and the database chosen
 * through the environment) and writes its rows as JSON to BENCH_OUT. One process per scenario keeps RSS figures
 * and database settings from leaking between scenarios.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { BenchRow, ScenarioResult } from './lib/result';
import { SCENARIOS } from './scenarios';

async function main() {
  const name = process.argv[2];
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  const rows: BenchRow[] = await scenario.run();
  const result: ScenarioResult = { scenario: name, rows, loadavg: os.loadavg() };
  fs.writeFileSync(process.env.BENCH_OUT as string, JSON.stringify(result));
}

main().then(
  // NocoBase and imapflow leave timers behind after destroy(); the result is written, so leave now.
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
