// The seam between the command line and the simulator. The CLI validates, expands sweeps, owns the output
// directory and the progress bar; a RunScenario runs one (already expanded) scenario into one run directory.
// Tests inject a fake; `ecashsim run` imports the real one from sim/run.ts only when it is about to run, so
// `validate` and `--help` never load the simulator.

import type { Scenario } from '../scenario/schema.ts';
import type { ProgressReporter } from './progress.ts';

export interface RunOptions {
  /** The run's seed (equal to `scenario.seed`; given separately so a runner cannot miss an override). */
  readonly seed: number;
  /** The run's own directory, created and empty (or holding this run's previous output). Write everything here. */
  readonly outDir: string;
  /** Threads for signature work, the main thread among them (`--threads`; default: the machine's parallelism). */
  readonly threads: number;
  /** Write the full event log (`--events`, or `outputs.events` in the file). */
  readonly events: boolean;
  /** Call `start(scenario.duration)`, then `update(simTime, events)` every few thousand events, then `stop()`. */
  readonly progress: ProgressReporter;
  /** The sweep point (`policy.detection=tree`, or `base`), for messages. */
  readonly label: string;
  /** 0-based replication index. */
  readonly replication: number;
  /**
   * Aborted when the user presses Ctrl-C: stop at the next convenient point, write what there is (marked
   * partial) and return. A second Ctrl-C kills the process.
   */
  readonly signal: AbortSignal;
}

export interface RunSummary {
  /** Events the engine processed. */
  readonly events: number;
  /** Simulated seconds covered (normally `scenario.duration`; less if the run stopped early). */
  readonly simSeconds: number;
  /** A few words of result for the closing summary line, e.g. `2/2 double spends traced, issuer db 1.2 MB`. */
  readonly headline?: string;
  /** Named scalar results, copied into the output index (`runs.json`) so a sweep can be tabulated from it. */
  readonly scalars?: Readonly<Record<string, number>>;
}

export type RunScenario = (scenario: Scenario, options: RunOptions) => Promise<RunSummary>;

/** The real simulator, imported on first use. */
export async function loadRunScenario(): Promise<RunScenario> {
  const { runScenario } = await import('../run.ts');
  return runScenario;
}
