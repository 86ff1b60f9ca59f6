import { DateTime, IANAZone } from 'luxon';
import type { AgreementTerms } from './agreement-terms';

export type TermsFieldError = { field: string; message: string };

// Hand-written rather than class-validator: the domain stays free of frameworks, and the terms are
// nested unions a decorator schema describes poorly. No string here is ever treated as a pattern:
// whatever a client sends as `equals`, `in` or `containsAny` is compared literally.

type Obj = Record<string, unknown>;
type Check = (errors: TermsFieldError[], value: unknown, field: string) => void;

const maxStringLength = 200;
const maxListLength = 200;
const slug = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const profileFields = ['title', 'company', 'industry', 'country', 'employees', 'emailDomain'];
const fitPredicates = ['equals', 'in', 'containsAny', 'min', 'max'];
const remedies = ['none', 'reassign', 'return_to_marketing', 'escalate'];
// Named so that a client who tries one learns why it is refused.
const patternKeys = ['regex', 'regexp', 'pattern', 'matches', 'match'];

const isObject = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const object = (
  errors: TermsFieldError[],
  value: unknown,
  field: string,
  fields: Record<string, { required: boolean; check: Check }>,
): Obj | null => {
  if (!isObject(value)) {
    errors.push({ field, message: 'must be an object' });
    return null;
  }
  for (const key of Object.keys(value)) {
    if (key in fields) continue;
    errors.push({
      field: `${field}.${key}`,
      message: patternKeys.includes(key)
        ? 'regular expressions are not supported; use equals, in or containsAny'
        : 'is not a known field',
    });
  }
  for (const [key, { required, check }] of Object.entries(fields)) {
    if (value[key] === undefined) {
      if (required) errors.push({ field: `${field}.${key}`, message: 'is required' });
    } else {
      check(errors, value[key], `${field}.${key}`);
    }
  }
  return value;
};

const required = (check: Check) => ({ required: true, check });
const optional = (check: Check) => ({ required: false, check });

const number =
  (min: number, max: number, { integer = false, above = false } = {}): Check =>
  (errors, value, field) => {
    const low = above ? `greater than ${min}` : `at least ${min}`;
    const range = Number.isFinite(max) ? `${low} and at most ${max}` : low;
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      (integer && !Number.isInteger(value)) ||
      (above ? value <= min : value < min) ||
      value > max
    ) {
      errors.push({ field, message: `must be ${integer ? 'an integer' : 'a number'} ${range}` });
    }
  };

const text: Check = (errors, value, field) => {
  if (typeof value !== 'string' || value.trim() === '' || value.length > maxStringLength) {
    errors.push({
      field,
      message: `must be a non-empty string of at most ${maxStringLength} characters`,
    });
  }
};

const oneOf =
  (allowed: readonly string[]): Check =>
  (errors, value, field) => {
    if (typeof value !== 'string' || !allowed.includes(value)) {
      errors.push({ field, message: `must be one of ${allowed.join(', ')}` });
    }
  };

const matching =
  (format: RegExp, description: string): Check =>
  (errors, value, field) => {
    if (typeof value !== 'string' || !format.test(value)) {
      errors.push({ field, message: `must be ${description}` });
    }
  };

const list =
  (item: Check, minLength: number, { unique = false } = {}): Check =>
  (errors, value, field) => {
    if (!Array.isArray(value) || value.length < minLength || value.length > maxListLength) {
      errors.push({
        field,
        message: `must be a list of ${minLength} to ${maxListLength} items`,
      });
      return;
    }
    value.forEach((element, index) => item(errors, element, `${field}[${index}]`));
    if (unique && new Set(value.map((element) => JSON.stringify(element))).size !== value.length) {
      errors.push({ field, message: 'must not repeat an item' });
    }
  };

const timeZone: Check = (errors, value, field) => {
  if (typeof value !== 'string' || !IANAZone.isValidZone(value)) {
    errors.push({ field, message: 'must be an IANA time zone name, e.g. Europe/Berlin' });
  }
};

const calendarDate: Check = (errors, value, field) => {
  if (typeof value !== 'string' || !isoDate.test(value) || !DateTime.fromISO(value).isValid) {
    errors.push({ field, message: 'must be a calendar date YYYY-MM-DD' });
  }
};

const businessHours: Check = (errors, value, field) => {
  const hours = object(errors, value, field, {
    timeZone: required(timeZone),
    days: required(list(number(1, 7, { integer: true }), 1, { unique: true })),
    from: required(matching(hhmm, 'a time HH:MM')),
    to: required(matching(hhmm, 'a time HH:MM')),
    holidays: optional(list(calendarDate, 0)),
  });
  // "HH:MM" strings of equal length order like the times they name
  if (hours && typeof hours.from === 'string' && typeof hours.to === 'string') {
    if (hhmm.test(hours.from) && hhmm.test(hours.to) && hours.from >= hours.to) {
      errors.push({ field: `${field}.to`, message: 'must be later than from' });
    }
  }
};

const minutesOfDay = (hhmm: string): number => {
  const [hour, minute] = hhmm.split(':').map(Number);
  return hour * 60 + minute;
};

// The deadline is counted window by window, so an allowance that takes years of tiny windows is
// refused here rather than computed at every handoff.
const maxWeeksOfBusinessHours = 52;

const salesResponse: Check = (errors, value, field) => {
  const before = errors.length;
  const terms = object(errors, value, field, {
    acceptWithinMinutes: required(number(1, 43200, { integer: true })),
    businessHours: optional(businessHours),
  });
  if (!terms || errors.length > before || !isObject(terms.businessHours)) return;
  const { days, from, to } = terms.businessHours as { days: number[]; from: string; to: string };
  const weeklyMinutes = days.length * (minutesOfDay(to) - minutesOfDay(from));
  if ((terms.acceptWithinMinutes as number) > maxWeeksOfBusinessHours * weeklyMinutes) {
    errors.push({
      field: `${field}.acceptWithinMinutes`,
      message: `needs more than ${maxWeeksOfBusinessHours} weeks of these business hours`,
    });
  }
};

const salesFollowUp: Check = (errors, value, field) => {
  object(errors, value, field, {
    attempts: required(number(1, 20, { integer: true })),
    withinHours: required(number(1, 2160, { integer: true })),
  });
};

const remedy: Check = (errors, value, field) => {
  const terms = object(errors, value, field, {
    onResponseBreach: required(oneOf(remedies)),
    repPool: optional(list(text, 2, { unique: true })),
    escalateTo: optional(text),
  });
  if (terms?.onResponseBreach === 'reassign' && terms.repPool === undefined) {
    errors.push({
      field: `${field}.repPool`,
      message: 'is required (at least 2 reps) to reassign',
    });
  }
};

const fitRule: Check = (errors, value, field) => {
  const predicates = Object.fromEntries(
    fitPredicates.map((key) => [
      key,
      optional(
        key === 'equals'
          ? text
          : key === 'min' || key === 'max'
            ? number(0, Infinity)
            : list(text, 1),
      ),
    ]),
  );
  const rule = object(errors, value, field, {
    rule: required(matching(slug, 'a slug (lower-case letters, digits, - or _)')),
    field: required(oneOf(profileFields)),
    points: required(number(-100, 100)),
    ...predicates,
  });
  if (!rule) return;
  const given = fitPredicates.filter((key) => rule[key] !== undefined);
  if (given.length !== 1) {
    errors.push({ field, message: `must have exactly one of ${fitPredicates.join(', ')}` });
    return;
  }
  const numeric = given[0] === 'min' || given[0] === 'max';
  if (numeric !== (rule.field === 'employees')) {
    errors.push({
      field: `${field}.${given[0]}`,
      message: numeric
        ? 'min and max apply to employees only'
        : 'employees is compared with min or max',
    });
  }
};

const engagementRule: Check = (errors, value, field) => {
  object(errors, value, field, {
    rule: required(matching(slug, 'a slug (lower-case letters, digits, - or _)')),
    kind: required(text),
    points: required(number(-100, 100)),
    max: optional(number(1, 100)),
  });
};

const scoring: Check = (errors, value, field) => {
  if (!isObject(value)) {
    errors.push({ field, message: 'must be an object' });
    return;
  }
  if (value.source === 'external') {
    object(errors, value, field, { source: required(oneOf(['external'])) });
    return;
  }
  if (value.source !== 'rules') {
    errors.push({ field: `${field}.source`, message: 'must be one of external, rules' });
    return;
  }
  const terms = object(errors, value, field, {
    source: required(oneOf(['rules'])),
    fit: required(list(fitRule, 0)),
    engagement: required(list(engagementRule, 0)),
    decayHalfLifeDays: optional(number(0, 3650, { above: true })),
  });
  if (!terms) return;
  const names = [terms.fit, terms.engagement]
    .flatMap((rules): unknown[] => (Array.isArray(rules) ? (rules as unknown[]) : []))
    .map((rule) => (isObject(rule) ? rule.rule : undefined))
    .filter((name): name is string => typeof name === 'string');
  const repeated = [...new Set(names.filter((name, index) => names.indexOf(name) !== index))];
  for (const name of repeated) {
    errors.push({ field, message: `rule name ${name} is used more than once` });
  }
};

const pilot: Check = (errors, value, field) => {
  object(errors, value, field, {
    reps: required(list(text, 1, { unique: true })),
    salesResponse: optional(salesResponse),
    salesFollowUp: optional(salesFollowUp),
    remedy: optional(remedy),
  });
};

/** Every problem with proposed terms, as field errors under `field` (empty when valid). */
export const validateAgreementTerms = (value: unknown, field = 'terms'): TermsFieldError[] => {
  const errors: TermsFieldError[] = [];
  object(errors, value, field, {
    qualification: required((e, v, f) => {
      object(e, v, f, { mqlThreshold: required(number(1, 100, { integer: true })) });
    }),
    scoring: required(scoring),
    salesResponse: required(salesResponse),
    salesFollowUp: optional(salesFollowUp),
    marketing: required((e, v, f) => {
      object(e, v, f, {
        mqlsPerMonth: required(number(0, Infinity, { integer: true })),
        minAcceptanceRate: optional(number(0, 1)),
      });
    }),
    remedy: optional(remedy),
    pilot: optional(pilot),
  });
  return errors;
};

export const isAgreementTerms = (value: unknown): value is AgreementTerms =>
  validateAgreementTerms(value).length === 0;
