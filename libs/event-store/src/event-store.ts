export * from './event-store.port';
export * from './audit-chain';
export * from './sqlite-event-store';
export * from './handle-command';
export * from './esdb-event-store';
