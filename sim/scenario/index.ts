// Scenario files: the one place an experiment is defined. See schema.ts for every field and its default.

export { formatDuration, parseDuration } from './duration.ts';
export { ScenarioError } from './errors.ts';
export type { ScenarioProblem } from './errors.ts';
export { expandSweep, loadScenario, parseScenario, replicationSeed } from './load.ts';
export type { ScenarioRun } from './load.ts';
export { ScenarioSchema } from './schema.ts';
export type { FraudSpec, FraudType, Scenario, ScenarioInput } from './schema.ts';
