// One error for every way a scenario file can be wrong: missing, unreadable, not YAML, or not a scenario. Each
// problem names the file, the path inside it (or the line, for syntax errors), what was expected and what was
// there, and a fix when one is obvious, so a user never has to read a stack trace or the schema to repair it.

import { z } from 'zod';
import { formatPath, schemaAt } from './paths.ts';
import { scenarioFields } from './schema.ts';
import { closest, showValue } from './text.ts';

export interface ScenarioProblem {
  /** Where in the file: a dotted path (`policy.detection`), or `line 3, column 5` for a syntax error; absent for the whole file. */
  readonly where?: string;
  /** The same path as segments (`['fraud', 2, 'payees']`), for programs; absent for syntax errors. */
  readonly path?: readonly PropertyKey[];
  /** What was expected and what was found. */
  readonly message: string;
  /** How to repair it, when that is obvious. */
  readonly fix?: string;
  /** 1-based line of the offending text, when known. */
  readonly line?: number;
  /** Lines of the file around the problem, already indented, for syntax errors. */
  readonly excerpt?: string;
}

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  constructor(
    /** The file as the user named it. */
    readonly file: string,
    readonly problems: readonly ScenarioProblem[],
  ) {
    super(problems.map((p) => renderProblem(file, p)).join('\n'));
  }
}

/**
 * `scenarios/x.yaml: policy.detection: expected one of 'paper' | 'tree' | 'both', got 'tre' (line 12)`, then
 * an excerpt and a `fix:` line when there are any.
 */
function renderProblem(file: string, p: ScenarioProblem): string {
  const line = p.line !== undefined && p.where !== undefined && !p.where.startsWith('line ') ? ` (line ${p.line})` : '';
  let out = `${file}: ${p.where === undefined ? '' : `${p.where}: `}${p.message}${line}`;
  if (p.excerpt !== undefined) out += `\n${p.excerpt}`;
  if (p.fix !== undefined) out += `\n  fix: ${p.fix}`;
  return out;
}

const EXPECTED: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (indented key: value lines)',
};

/** Turns one zod issue into problems (an `unrecognized_keys` issue names several keys: one problem each). */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown): ScenarioProblem[] {
  return describe(issue, input).map((p) => ({ path: issue.path, ...p }));
}

function describe(issue: z.core.$ZodIssue, input: unknown): ScenarioProblem[] {
  const where = formatPath(issue.path);
  const got = showValue(issue.input);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const node = schemaAt(scenarioFields, issue.path as (string | number)[], input);
      const allowed = node?.kind === 'object' ? node.keys : [];
      return issue.keys.map((key) => {
        const guess = closest(key, allowed);
        const list = allowed.length > 0 ? `allowed here: ${allowed.join(', ')}` : undefined;
        const fix = guess === undefined ? list : `did you mean '${guess}'? (${list})`;
        return { where: formatPath([...issue.path, key]), path: [...issue.path, key], message: 'unknown key', ...(fix === undefined ? {} : { fix }) };
      });
    }
    case 'invalid_type': {
      // zod reports a string where an integer belongs as "expected number"; the schema knows it is an integer.
      const node = issue.expected === 'number' ? schemaAt(scenarioFields, issue.path as (string | number)[], input) : undefined;
      const integer = node?.schema instanceof z.ZodNumber && node.schema.isInt;
      const expected = integer ? EXPECTED['int']! : (EXPECTED[issue.expected] ?? issue.expected);
      if (issue.input === undefined) {
        return [{ where, message: `missing: expected ${expected}` }];
      }
      const fix =
        issue.expected === 'object' && issue.input === null
          ? 'indent its settings under it, or delete the line to use the defaults'
          : issue.expected === 'number' || issue.expected === 'int'
            ? typeof issue.input === 'string' && /^-?[\d_,.]+$/.test(issue.input)
              ? 'write the number without quotes, commas or underscores'
              : undefined
            : undefined;
      return [{ where, message: `expected ${expected}, got ${got}`, ...(fix === undefined ? {} : { fix }) }];
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? issue.minimum : issue.maximum;
      const inclusive = issue.inclusive !== false;
      if (issue.origin === 'array') {
        const n = Number(bound);
        const items = `${n} item${n === 1 ? '' : 's'}`;
        return [{ where, message: `expected ${small ? 'at least' : 'at most'} ${items}, got ${got}` }];
      }
      if (issue.origin === 'string') {
        return [{ where, message: `expected at most ${String(bound)} characters, got ${String(issue.input).length}` }];
      }
      const relation = small ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
      return [{ where, message: `expected ${relation} ${String(bound)}, got ${got}` }];
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => showValue(v));
      const guess = typeof issue.input === 'string' ? closest(issue.input, issue.values.map(String)) : undefined;
      const message = issue.values.length === 1 ? `expected ${options[0]}, got ${got}` : `expected one of ${options.join(' | ')}, got ${got}`;
      return [{ where, message, ...(guess === undefined ? {} : { fix: `did you mean '${guess}'?` }) }];
    }
    case 'invalid_union': {
      if (issue.discriminator !== undefined && 'options' in issue && issue.options !== undefined) {
        const options = issue.options.map((v) => showValue(v));
        const tag = typeof issue.input === 'object' && issue.input !== null ? (issue.input as Record<string, unknown>)[issue.discriminator] : undefined;
        const guess = typeof tag === 'string' ? closest(tag, issue.options.map(String)) : undefined;
        const message =
          tag === undefined ? `missing: expected one of ${options.join(' | ')}` : `expected one of ${options.join(' | ')}, got ${showValue(tag)}`;
        return [{ where, message, ...(guess === undefined ? {} : { fix: `did you mean '${guess}'?` }) }];
      }
      return [{ where, message: `${issue.message}, got ${got}` }];
    }
    case 'custom': {
      const params = issue.params as { fix?: string; inner?: z.core.$ZodIssue } | undefined;
      if (params?.inner !== undefined) {
        // A sweep value that makes the scenario invalid: say which value, then what is wrong with the result.
        return describe(params.inner, undefined).map((p) => ({
          where,
          message: `${issue.message}: ${p.where === undefined ? '' : `${p.where}: `}${p.message}`,
          ...(p.fix === undefined ? {} : { fix: p.fix }),
        }));
      }
      return [{ where, message: issue.message, ...(params?.fix === undefined ? {} : { fix: params.fix }) }];
    }
    default:
      return [{ where, message: `${issue.message}, got ${got}` }];
  }
}
