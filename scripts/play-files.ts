// The Play YAML files under files/folders, for the corpus dev scripts (sorted, recursive).
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const PLAY_EXT = /\.ya?ml$/i;

export async function collect(target: string, out: string[]): Promise<void> {
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new Error(`${target}: no such file or folder`);
  if (info.isFile()) {
    out.push(target);
    return;
  }
  const entries = await readdir(target, { withFileTypes: true });
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(target, e.name);
    if (e.isDirectory()) await collect(full, out);
    else if (e.isFile() && PLAY_EXT.test(e.name)) out.push(full);
  }
}

export async function playFiles(targets: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const t of targets) await collect(t, out);
  return out;
}
