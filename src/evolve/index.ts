// Public surface of the evolve stage; other stages import only from here.
//
// In short: runEvolution evolves one or more ranged plays on the training window of a dataset (the holdout,
// by default the last 25% of the bars, is never evaluated), one population and one RNG stream per play, and
// records every generation in the warm store; resumeEvolution continues a stored run and ends exactly like an
// uninterrupted one. Evaluators (in-thread, worker-thread pool, BullMQ cluster) all score each genome with
// scoreGenome (evaluateGenome adds the key; evaluateGenomes maps a list).
export {
  evaluateGenomes, genomeKey, type DatasetPayload, type EvalJob, type EvalResult, type Evaluator,
} from './evaluator.ts';
export {
  constraintViolation, DEFAULT_PENALTIES, FAILED_FITNESS, fitnessConfig, MULTI_OBJECTIVE_NAMES, OBJECTIVE_NAMES, objectiveValue,
  objectiveVector, scoreMetrics, type FitnessConfig, type FitnessPenalties, type MultiObjectiveName, type ObjectiveName,
} from './fitness.ts';
export { datasetHash, shareMarketData, sliceMarketData, windowOf, type TimeWindow } from './dataset.ts';
export { loadEvolutionData, splitTrainHoldout, type EvolutionData, type LoadEvolutionOptions } from './data-load.ts';
export {
  DEFAULT_GA, evolveCore, gaConfig, generationRng, hasConverged, median, type CoreInput, type CoreOutput, type GaConfig,
  type GenerationRecord, type Member,
} from './evolution.ts';
export { crowdedBetter, crowdingDistance, dominates, nonDominatedSort, rankPoints, selectSurvivors, type MoPoint, type Nsga2Ranking } from './nsga2.ts';
export {
  EvolutionEvents, type EvolutionDoneEvent, type EvolutionEvent, type EvolutionStartEvent, type GenerationEvent, type RunDoneEvent,
  type StopReason,
} from './events.ts';
export { EvolutionStore, genomeHash, type EvolutionRow, type EvolutionStatus } from './persistence.ts';
export {
  describeStoredRun, localEvaluatorFactory, resumeEvolution, runEvolution, shortParamName, type EvaluatorFactory, type EvolutionSummary,
  type ResumeInfo, type RunData, type RunOptions, type RunResult, type Winner,
} from './run.ts';
export { clusterEvaluatorFactory } from './cluster-evaluator.ts';
export { InlineEvaluator } from './pool/inline-evaluator.ts';
export { cacheBytesPerWorker, defaultWorkerCount, WorkerPoolEvaluator, type WorkerPoolOptions } from './pool/worker-pool.ts';
export { crossover, type CrossoverOptions } from './ga/crossover.ts';
export { mutate, type MutationOptions } from './ga/mutation.ts';
export { tournament, rankByFitness } from './ga/selection.ts';
export { breed, initialPopulation, sampleGenes, type BreedOptions, type Candidate } from './ga/population.ts';
export { enumerateSpace, snapToGene, spaceSizeOf } from './ga/genes.ts';
