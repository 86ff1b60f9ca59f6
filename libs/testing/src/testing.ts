export * from './given-when-then';
export * from './lead-builders';
