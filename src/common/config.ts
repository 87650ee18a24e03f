// Where Playforge keeps its stores: flag over environment over config file over default (./data).
import path from 'node:path';

export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(flag ?? env.PLAYFORGE_DATA_DIR ?? 'data');
}
