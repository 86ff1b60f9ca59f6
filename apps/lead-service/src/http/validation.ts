import {
  type ArgumentMetadata,
  Injectable,
  type PipeTransform,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import { ApplicationError, type FieldError } from './application-error';

const flatten = (errors: ValidationError[], parent = ''): FieldError[] =>
  errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });

/** a problem lists at most this many field errors, and says how many it left out */
export const maxListedFieldErrors = 20;
const maxTextLength = 200;

// A field name comes from the client and may be as long as the body allows.
const clip = (text: string): string =>
  text.length <= maxTextLength ? text : `${text.slice(0, maxTextLength)}…`;

// Unknown fields are refused (not silently dropped) so a typo never goes unnoticed. The problem
// stays small whatever the input: a body of thousands of bad fields must not answer megabytes.
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => {
    const all = flatten(errors);
    const listed = all
      .slice(0, maxListedFieldErrors)
      .map(({ field, message }) => ({ field: clip(field), message: clip(message) }));
    const omitted = all.length - listed.length;
    return new ApplicationError(
      'validation_failed',
      listed.map((e) => `${e.field}: ${e.message}`).join('; ') +
        (omitted > 0 ? `; and ${omitted} more` : ''),
      listed,
      omitted > 0 ? omitted : undefined,
    );
  },
});

const maxDepth = 32;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const refuse = (detail: string, field?: string) =>
  new ApplicationError(
    'validation_failed',
    detail,
    field ? [{ field, message: detail }] : undefined,
  );

// Checked without recursion before the validators run: deep nesting would overflow their stack
// and a lone UTF-16 surrogate makes some of them throw, both of which are the client's mistake.
const assertSafeJson = (body: object): void => {
  const pending: { value: unknown; path: string; depth: number }[] = [
    { value: body, path: '', depth: 0 },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string' && loneSurrogate.test(value)) {
      throw refuse(`${path || 'body'} is not well-formed unicode text`, path || undefined);
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth)
      throw refuse(`the request body is nested deeper than ${maxDepth} levels`);
    for (const [key, child] of Object.entries(value)) {
      if (loneSurrogate.test(key))
        throw refuse(`a field name in ${path || 'the body'} is not well-formed unicode text`);
      pending.push({ value: child, path: path ? `${path}.${key}` : key, depth: depth + 1 });
    }
  }
};

// The whitelist of known fields is looked up in a plain object, so a name every object inherits
// (toString, constructor, __proto__, …) passed as known; no request type declares one.
const inheritedNames = new Set(['__proto__', ...Object.getOwnPropertyNames(Object.prototype)]);

const refuseInheritedNames = (value: object): void => {
  const field = Object.keys(value).find((key) => inheritedNames.has(key));
  if (field === undefined) return;
  const message = `property ${field} should not exist`;
  throw new ApplicationError('validation_failed', `${field}: ${message}`, [{ field, message }]);
};

// Query parameters: refused like any other unknown one when they name an inherited property.
@Injectable()
export class QueryNamesPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'query' && typeof value === 'object' && value !== null)
      refuseInheritedNames(value);
    return value;
  }
}

// A command body is a JSON object; no body at all means {} (e.g. POST /leads/:id/accept).
@Injectable()
export class JsonObjectBodyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body') return value;
    if (value === undefined) return {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw refuse('the request body must be a JSON object');
    }
    assertSafeJson(value);
    refuseInheritedNames(value);
    return value;
  }
}
