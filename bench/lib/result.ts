/** One line of the benchmark table. Scenarios return these; the runner prints and records them. */
export interface BenchRow {
  /** What was measured. */
  name: string;
  /** The figure, formatted (e.g. "2.31 s (4,330 msg/s)"). */
  value: string;
  /** Raw-library reference measured in the same run, and the ratio, when there is one. */
  reference?: string;
  /** The target from the issue, as text (e.g. "≤ 2×"). */
  target?: string;
  /** Whether the target was met; undefined when there is no target. */
  met?: boolean;
  /** How many runs the figure is the median (or percentile) of. */
  runs: string;
}

export interface ScenarioResult {
  scenario: string;
  rows: BenchRow[];
  /** Load average (1 min) and RSS at the scenario's end, for the record. */
  loadavg: number[];
  notes?: string[];
  /** When and with which command this scenario last ran (partial runs keep the other scenarios' figures). */
  date?: string;
  command?: string;
}
