// What every command shares: stdout/stderr lines, play loading with located errors, date ranges, data dir.
import type { Command } from 'commander';
import { resolveDataDir } from '../common/config.ts';
import { PlayforgeError } from '../common/errors.ts';
import { parseDateArg } from '../data/index.ts';
import { loadPlayFile, type Play } from '../dsl/index.ts';

export const out = (s: string): void => void process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
export const err = (s: string): void => void process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);

export function errorJson(e: PlayforgeError): Record<string, unknown> {
  return { code: e.code, message: e.message, ...e.location };
}

/** Loads a play, or prints its errors (`file:line:col: message [CODE]`, or JSON) and sets exit code 1. */
export async function loadPlayOrReport(file: string, json: boolean): Promise<Play | undefined> {
  const { play, errors } = await loadPlayFile(file);
  if (play) return play;
  if (json) out(JSON.stringify({ file, valid: false, errors: errors.map(errorJson) }));
  else for (const e of errors) err(`error: ${e.format()}`);
  process.exitCode = 1;
  return undefined;
}

/** `--from` / `--to` as epoch ms (ISO-8601 or epoch ms accepted); from must come before to. */
export function parseRange(opts: { from?: string; to?: string }): { from?: number; to?: number } {
  const from = opts.from ? parseDateArg(opts.from, '--from') : undefined;
  const to = opts.to ? parseDateArg(opts.to, '--to') : undefined;
  if (from !== undefined && to !== undefined && from >= to) throw new PlayforgeError('CLI_BAD_RANGE', '--from must be before --to', { path: '--from' });
  return { from, to };
}

export function dataDirOf(cmd: Command): string {
  return resolveDataDir((cmd.optsWithGlobals() as { dataDir?: string }).dataDir);
}
