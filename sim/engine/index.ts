// The discrete-event engine's public API. See the "Engine" section of the README for a complete example.

export { allOf, anyOf } from './condition.ts';
export { EngineError } from './errors.ts';
export { Event } from './event.ts';
export { Interrupt, Process, type ProcessGenerator, type Wait } from './process.ts';
export type { Callback } from './queue.ts';
export { Stream, Streams, streams, type RunSeed } from './random.ts';
export { Request, Resource } from './resource.ts';
export { type EventId, Simulation } from './simulation.ts';
export { Store } from './store.ts';
export { DAY, HOUR, MINUTE, SECOND, days, hours, inDays, inHours, minutes, seconds } from './time.ts';
export { Zipf } from './zipf.ts';
