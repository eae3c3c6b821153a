// One error type for misuse of the engine, carrying the argument that was wrong, so a model bug points at
// the call that caused it rather than at a corrupted queue much later.

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    /** The argument or field that was wrong, e.g. 'delay', 'capacity', 'stream name'. */
    readonly field: string,
    /** The value it had. */
    readonly value: unknown,
    reason: string,
  ) {
    super(`${field}: ${reason} (got ${describe(value)})`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) {
    return String(value);
  }
  return typeof value;
}
