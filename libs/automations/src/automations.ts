export * from './sla-breach-rule';
export * from './sla-deadline-watcher';
