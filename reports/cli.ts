// `ecashsim report <out-dir...> [--html FILE]`: the command's body, for sim/cli to call. Input problems (no such
// directory, no results.json, a results.json the report cannot read, several runs and no --html) print one line
// naming the path and exit 2; anything else is a bug and exits 1 with its stack. Also runnable on its own:
// `node --import tsx reports/cli.ts <out-dir...> [--html FILE]`.

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ReportUsageError, writeReport } from './html.ts';
import { ReportInputError } from './load.ts';

export interface ReportIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const CONSOLE: ReportIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

/** Writes the report and prints its path; returns the exit code (0 written, 2 bad input, 1 failure). */
export async function reportCommand(dirs: string[], opts: { html?: string }, io: ReportIo = CONSOLE): Promise<number> {
  if (dirs.length === 0) {
    io.err('ecashsim report: give at least one run output directory (the one holding results.json)');
    return 2;
  }
  try {
    const path = await writeReport(dirs, opts.html);
    io.out(path);
    return 0;
  } catch (e) {
    if (e instanceof ReportInputError || e instanceof ReportUsageError) {
      io.err(`ecashsim report: ${e.message}`);
      return 2;
    }
    io.err(`ecashsim report: failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 1;
  }
}

/** argv after the script: directories, and `--html FILE` (or `--html=FILE`) anywhere. */
export function parseReportArgs(argv: readonly string[]): { dirs: string[]; html?: string } | string {
  const dirs: string[] = [];
  let html: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--html') {
      const next = argv[++i];
      if (next === undefined) return '--html needs a file name';
      html = next;
    } else if (a.startsWith('--html=')) {
      html = a.slice('--html='.length);
    } else if (a.startsWith('--')) {
      return `unknown option ${a} (usage: report <out-dir...> [--html FILE])`;
    } else {
      dirs.push(a);
    }
  }
  return html === undefined ? { dirs } : { dirs, html };
}

function isMain(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const parsed = parseReportArgs(process.argv.slice(2));
  if (typeof parsed === 'string') {
    process.stderr.write(`ecashsim report: ${parsed}\n`);
    process.exitCode = 2;
  } else {
    process.exitCode = await reportCommand(parsed.dirs, parsed.html === undefined ? {} : { html: parsed.html });
  }
}
