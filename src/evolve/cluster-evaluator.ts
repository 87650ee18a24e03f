// `playforge evolve --redis URL`: the BullMQ cluster evaluator (src/evolve/cluster/, its own module) behind the
// same EvaluatorFactory as the local pool. Loaded on demand, so a local run never loads BullMQ or ioredis.
import { PlayforgeError } from '../common/index.ts';
import type { EvaluatorFactory } from './run.ts';

export async function clusterEvaluatorFactory(redisUrl: string, opts: { prefix?: string } = {}): Promise<EvaluatorFactory> {
  let cluster: typeof import('./cluster/index.ts');
  try {
    cluster = await import('./cluster/index.ts');
  } catch (e) {
    throw new PlayforgeError('EVOLVE_CLUSTER_UNAVAILABLE', `cluster evaluator not available: ${(e as Error).message}`, { path: '--redis' }, { cause: e });
  }
  return (hash, train) => cluster.createRedisEvaluator({ redisUrl, prefix: opts.prefix, data: train, hash });
}
