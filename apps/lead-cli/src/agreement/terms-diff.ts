// Terms are nested objects whose rule lists are keyed by rule name, so a diff reads as
// "scoring.fit[title-vp].points: 20 → 30" rather than as positions in an array.

export type TermsChange = { path: string; before: unknown; after: unknown };

type Obj = Record<string, unknown>;

const isObject = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isRuleList = (value: unknown): value is Obj[] =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.every((item) => isObject(item) && typeof item.rule === 'string');

const byRule = (list: Obj[]): Obj =>
  Object.fromEntries(list.map((item) => [String(item.rule), item]));

// Keys of `before` in their order, then the keys only `after` has, in theirs.
const keysOf = (before: Obj, after: Obj): string[] => [
  ...new Set([...Object.keys(before), ...Object.keys(after)]),
];

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

type Child = { step: string; before: unknown; after: unknown; whole?: boolean };

// Objects, and rule lists, are walked into; anything else is one leaf. A rule added or removed
// is one leaf too: "(none) → {the rule}" reads better than a line per field.
const children = (before: unknown, after: unknown): Child[] | null => {
  const absent = (value: unknown) => value === undefined;
  const objectOrNone = (value: unknown): value is Obj | undefined =>
    absent(value) || isObject(value);
  if (objectOrNone(before) && objectOrNone(after)) {
    const [a, b] = [before ?? {}, after ?? {}];
    return keysOf(a, b).map((key) => ({ step: `.${key}`, before: a[key], after: b[key] }));
  }
  const list = (value: unknown) => absent(value) || isRuleList(value) || same(value, []);
  if (list(before) && list(after) && (isRuleList(before) || isRuleList(after))) {
    const [a, b] = [byRule((before ?? []) as Obj[]), byRule((after ?? []) as Obj[])];
    return keysOf(a, b).map((key) => ({
      step: `[${key}]`,
      before: a[key],
      after: b[key],
      whole: a[key] === undefined || b[key] === undefined,
    }));
  }
  return null;
};

const walk = (path: string, before: unknown, after: unknown, changes: TermsChange[]): void => {
  if (same(before, after)) return;
  const inner = children(before, after);
  if (!inner) {
    changes.push({ path, before, after });
    return;
  }
  for (const child of inner) {
    const at = path === '' ? child.step.replace(/^\./, '') : `${path}${child.step}`;
    if (child.whole) changes.push({ path: at, before: child.before, after: child.after });
    else walk(at, child.before, child.after, changes);
  }
};

/** Every leaf that differs between two versions' terms; `undefined` where a side lacks it. */
export const diffTerms = (before: unknown, after: unknown): TermsChange[] => {
  const changes: TermsChange[] = [];
  walk('', before, after, changes);
  return changes;
};

/** The terms as path: value leaves, in the order they are written. */
export const flattenTerms = (terms: unknown): { path: string; value: unknown }[] =>
  diffTerms(undefined, terms).map(({ path, after }) => ({ path, value: after }));

export const formatTermsValue = (value: unknown): string =>
  value === undefined ? '(none)' : JSON.stringify(value);

export const formatChange = ({ path, before, after }: TermsChange): string =>
  `${path}: ${formatTermsValue(before)} → ${formatTermsValue(after)}`;
