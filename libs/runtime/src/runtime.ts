export * from './app-config';
export * from './open-adapters';
export * from './background-work';
export * from './data-dir';
export * from './seeded-random';
