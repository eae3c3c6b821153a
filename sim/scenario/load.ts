// Reading a scenario file: YAML (.yaml, .yml) or JSON (.json), chosen by extension. Everything that can go wrong
// (no such file, a syntax error, a value the schema refuses) comes out as one ScenarioError naming the file, so
// the command line prints it and exits 2 without a stack trace, and nothing downstream sees a half-valid input.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { ScenarioError, describeIssue } from './errors.ts';
import type { ScenarioProblem } from './errors.ts';
import { isPlainObject } from './paths.ts';
import { ScenarioSchema } from './schema.ts';
import type { Scenario } from './schema.ts';
import { closest } from './text.ts';

export { expandSweep, replicationSeed } from './sweep.ts';
export type { ScenarioRun } from './sweep.ts';

/** Larger than any sensible scenario by far; a bigger file is a mistake (a data file passed by accident). */
const MAX_BYTES = 1 << 20;
const EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Reads, parses and validates the scenario at `path`; throws ScenarioError naming `path` as given. */
export function loadScenario(path: string): Scenario {
  return parseScenario(readText(path), path);
}

/**
 * Parses scenario text; `file` is used in messages and picks YAML or JSON by extension, and its base name is
 * the scenario's name when the text gives none.
 */
export function parseScenario(text: string, file: string): Scenario {
  const json = extname(file).toLowerCase() === '.json';
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineCounter();
  let doc: Document | undefined;
  let raw: unknown;
  if (json) {
    raw = parseJson(source, file);
  } else {
    doc = parseDocument(source, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) throw new ScenarioError(file, doc.errors.map((e) => yamlProblem(e, source)));
    try {
      raw = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      throw new ScenarioError(file, [{ message: `invalid YAML: ${(e as Error).message}` }]);
    }
  }

  if (raw === null || raw === undefined) {
    throw new ScenarioError(file, [
      { message: 'the file is empty', fix: 'a scenario is a mapping of settings; the shortest is a line such as `duration: 7d`' },
    ]);
  }
  if (!isPlainObject(raw)) {
    throw new ScenarioError(file, [
      { where: '(top level)', message: `expected a mapping of settings (key: value lines), got ${Array.isArray(raw) ? 'a list' : 'a single value'}` },
    ]);
  }
  const input: Record<string, unknown> = { ...raw };
  if (input['name'] === undefined) {
    const fromFile = basename(file, extname(file)).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
    if (fromFile !== '') input['name'] = fromFile;
  }

  const result = ScenarioSchema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;

  if (json) doc = parseDocument(source, { lineCounter: lines }); // for line numbers only; JSON is YAML
  const problems = result.error.issues.flatMap((issue) =>
    describeIssue(issue, input).map((p) => withLine(p, doc, lines, issue.code === 'unrecognized_keys')),
  );
  // In file order, so the list reads top to bottom alongside the file; problems without a line go last.
  problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  throw new ScenarioError(file, problems);
}

function readText(path: string): string {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) {
      throw new ScenarioError(path, [{ message: 'is a directory, not a scenario file', fix: `name a file in it, e.g. ${join(path, 'quickstart.yaml')}` }]);
    }
    size = st.size;
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ScenarioError(path, [missingFile(path)]);
    throw new ScenarioError(path, [{ message: `cannot read the file (${code ?? (e as Error).message})` }]);
  }
  const ext = extname(path).toLowerCase();
  if (!EXTENSIONS.includes(ext)) {
    throw new ScenarioError(path, [
      { message: `not a scenario file (expected a .yaml, .yml or .json file, got ${ext === '' ? 'no extension' : `'${ext}'`})` },
    ]);
  }
  if (size > MAX_BYTES) {
    throw new ScenarioError(path, [{ message: `is ${size} bytes; a scenario file is at most ${MAX_BYTES} (is this the right file?)` }]);
  }
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError(path, [{ message: `cannot read the file (${code ?? (e as Error).message})`, ...(code === 'EACCES' ? { fix: 'check its permissions' } : {}) }]);
  }
}

function missingFile(path: string): ScenarioProblem {
  let nearby: string[] = [];
  try {
    nearby = readdirSync(dirname(path)).filter((f) => EXTENSIONS.includes(extname(f).toLowerCase())).sort();
  } catch {
    // the directory is missing too; nothing to suggest from it
  }
  const guess = closest(basename(path), nearby);
  const fix =
    guess !== undefined
      ? `did you mean ${join(dirname(path), guess)}?`
      : nearby.length > 0
        ? `scenarios in ${dirname(path)}: ${nearby.join(', ')}`
        : 'check the path; the shipped scenarios are in scenarios/';
  return { message: 'file not found', fix };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    const problem: ScenarioProblem = { message: `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, fix: 'check for a missing comma or quote, or a trailing comma, just before this point' };
    if (at === null) throw new ScenarioError(file, [problem]);
    const offset = Number(at[1]);
    const before = text.slice(0, offset).split('\n');
    const line = before.length;
    const column = before[before.length - 1]!.length + 1;
    throw new ScenarioError(file, [{ ...problem, where: `line ${line}, column ${column}`, line, excerpt: excerpt(text, line, column) }]);
  }
}

const YAML_FIXES: Readonly<Record<string, string>> = {
  DUPLICATE_KEY: 'each key may appear once in a mapping; delete or rename one of them',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BAD_INDENT: 'indent every key of a mapping to the same column, with spaces',
  MULTIPLE_DOCS: "a scenario file holds one document; remove the extra '---'",
  MULTILINE_IMPLICIT_KEY: "each setting is 'key: value' on one line; is a ':' missing?",
  MISSING_CHAR: 'a bracket or quote is not closed',
  BAD_SCALAR_START: 'quote values that start with a special character',
};

function yamlProblem(e: { code: string; message: string; linePos?: [{ line: number; col: number }, ...unknown[]] }, text: string): ScenarioProblem {
  const message = `invalid YAML: ${e.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '')}`;
  const fix = YAML_FIXES[e.code] ?? 'check the indentation and brackets near this line';
  const pos = e.linePos?.[0];
  if (pos === undefined) return { message, fix };
  return { where: `line ${pos.line}, column ${pos.col}`, message, fix, line: pos.line, excerpt: excerpt(text, pos.line, pos.col) };
}

/** The line before and the offending line, with a caret under the column. */
function excerpt(text: string, line: number, column: number): string {
  const lines = text.split(/\r?\n/);
  const shown: string[] = [];
  for (let n = Math.max(1, line - 1); n <= line; n++) {
    const t = lines[n - 1];
    if (t !== undefined) shown.push(`  ${String(n).padStart(4)} | ${t}`);
  }
  shown.push(`  ${' '.repeat(4)} | ${' '.repeat(Math.max(0, column - 1))}^`);
  return shown.join('\n');
}

/**
 * Adds the line of the node at the problem's path (or of its nearest existing parent) to a problem; for an
 * unknown key, the line of the key itself.
 */
function withLine(problem: ScenarioProblem, doc: Document | undefined, lines: LineCounter, unknownKey: boolean): ScenarioProblem {
  if (doc === undefined || doc.errors.length > 0 || problem.path === undefined) return problem;
  const path = problem.path;
  const offset = unknownKey ? nodeOffset(doc, path.slice(0, -1), path[path.length - 1]) : nodeOffset(doc, path, undefined);
  return offset === undefined ? problem : { ...problem, line: lines.linePos(offset).line };
}

function nodeOffset(doc: Document, path: readonly PropertyKey[], key: PropertyKey | undefined): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node?.range === undefined) continue;
    if (key !== undefined && n === path.length && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      const keyRange = pair !== undefined && isScalar(pair.key) ? pair.key.range : undefined;
      if (keyRange) return keyRange[0];
    }
    return node.range[0];
  }
  return undefined;
}
