export * from './given-when-then';
export * from './lead-builders';
export * from './agreement-builders';
export * from './remedy-builders';
