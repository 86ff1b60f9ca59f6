export * from './sla-breach-rule';
export * from './sla-deadline-watcher';
export * from './sla-remedy-runner';
