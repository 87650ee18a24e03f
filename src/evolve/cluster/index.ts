// The cluster half of evolution: `playforge evolve --redis URL` evaluates through createRedisEvaluator, and any
// number of `playforge worker --redis URL` processes (startClusterWorker) on any machines take the batches.
export { createRedisEvaluator, RedisEvaluator, type RedisEvaluatorOptions, type RedisEvaluatorStats } from './redis-evaluator.ts';
export { startClusterWorker, type ClusterWorker, type ClusterWorkerOptions, type ClusterWorkerStats } from './cluster-worker.ts';
export { DEFAULT_PREFIX, DEFAULT_WORKER_TIMINGS, QUEUE_NAME, type WorkerTimings } from './protocol.ts';
export { datasetKey } from './dataset-store.ts';
export type { ClusterLogger } from './connection.ts';
