export * from './read-store.port';
export * from './embedded-read-store';
export * from './read-store.contract';
export * from './projection';
export * from './projection-runner';
