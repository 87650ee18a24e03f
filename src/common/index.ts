export * from './errors.ts';
export * from './rng.ts';
export * from './config.ts';
export * from './lazy-props.ts';
