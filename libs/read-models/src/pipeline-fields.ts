import type { Doc, Pipeline } from './read-store.port';

// Stages that keep their input documents as they are (the fields they read are their keys or
// paths), and stages that build new documents from the fields they name.
const passing = new Set(['$match', '$unwind', '$sort', '$limit', '$skip']);
const reshaping = new Set(['$group', '$replaceRoot', '$replaceWith', '$sortByCount', '$count']);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** field paths an expression reads ('$a.b'); false when it reads the whole document */
const expressionPaths = (expression: unknown, into: Set<string>): boolean => {
  if (typeof expression === 'string') {
    if (expression.startsWith('$$ROOT') || expression.startsWith('$$CURRENT')) return false;
    if (expression.startsWith('$') && !expression.startsWith('$$')) into.add(expression.slice(1));
    return true;
  }
  if (Array.isArray(expression)) return expression.every((item) => expressionPaths(item, into));
  if (isRecord(expression))
    return Object.values(expression).every((value) => expressionPaths(value, into));
  return true;
};

const matchPaths = (filter: unknown, into: Set<string>): boolean => {
  if (!isRecord(filter)) return false;
  return Object.entries(filter).every(([key, condition]) => {
    if (key === '$and' || key === '$or' || key === '$nor')
      return Array.isArray(condition) && condition.every((part) => matchPaths(part, into));
    if (key === '$expr') return expressionPaths(condition, into);
    if (key.startsWith('$')) return false;
    into.add(key);
    return true;
  });
};

/**
 * The field paths a pipeline reads from its input documents, when it builds new documents
 * ($group, $replaceRoot, ...) after stages that only filter, unwind or order them: the input can
 * then carry just those fields. null when the pipeline may read or return whole documents.
 */
export const pipelinePaths = (pipeline: Pipeline): string[][] | null => {
  const paths = new Set<string>();
  for (const stage of pipeline) {
    const entries = Object.entries(stage);
    if (entries.length !== 1) return null;
    const [operator, spec] = entries[0];
    if (operator === '$facet') return facetPaths(spec, paths);
    if (reshaping.has(operator)) return expressionPaths(spec, paths) ? prefixFree(paths) : null;
    if (!passing.has(operator)) return null;
    const known =
      operator === '$match'
        ? matchPaths(spec, paths)
        : operator === '$sort'
          ? isRecord(spec) && Object.keys(spec).every((key) => paths.add(key))
          : operator === '$unwind'
            ? expressionPaths(isRecord(spec) ? spec.path : spec, paths)
            : true;
    if (!known) return null;
  }
  return null;
};

// a $facet reads what its pipelines read, when each of them builds new documents
const facetPaths = (spec: unknown, paths: Set<string>): string[][] | null => {
  if (!isRecord(spec)) return null;
  for (const facet of Object.values(spec)) {
    const read = Array.isArray(facet) ? pipelinePaths(facet as Pipeline) : null;
    if (!read) return null;
    for (const path of read) paths.add(path.join('.'));
  }
  return prefixFree(paths);
};

// 'a' covers 'a.b': copying a whole keeps every path under it
const prefixFree = (paths: Set<string>): string[][] => {
  const sorted = [...paths].sort();
  const kept = sorted.filter(
    (path, index) => !sorted.slice(0, index).some((other) => path.startsWith(`${other}.`)),
  );
  return kept.map((path) => path.split('.'));
};

/**
 * A copy of `doc` with `_id` and the values at `paths` only; an array on the way is copied
 * whole (a path into it reads its elements). Values are shared with `doc`, not copied.
 */
export const pick = (doc: Doc, paths: string[][]): Doc => {
  const picked: Record<string, unknown> = { _id: doc._id };
  for (const path of paths) copyPath(doc, picked, path, 0);
  return picked as Doc;
};

const copyPath = (
  from: Record<string, unknown>,
  to: Record<string, unknown>,
  path: string[],
  at: number,
): void => {
  const key = path[at];
  if (!Object.hasOwn(from, key)) return;
  const value = from[key];
  if (at === path.length - 1 || !isRecord(value)) {
    to[key] = value;
    return;
  }
  const nested = isRecord(to[key]) ? to[key] : {};
  to[key] = nested;
  copyPath(value, nested, path, at + 1);
};
