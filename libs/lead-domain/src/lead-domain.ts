export * from './lead-commands';
export * from './lead-decider';
export * from './lead-errors';
export * from './lead-events';
export * from './lead-state';
export * from './attribution/attribution-models';
export * from './attribution/lead-journey';
export * from './sla/sla';
