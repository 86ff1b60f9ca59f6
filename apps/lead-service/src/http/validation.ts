import {
  type ArgumentMetadata,
  BadRequestException,
  Injectable,
  type PipeTransform,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import type { FieldError } from './problem-details.filter';

const flatten = (errors: ValidationError[], parent = ''): FieldError[] =>
  errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });

// Unknown fields are refused (not silently dropped) so a typo never goes unnoticed.
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => {
    const fieldErrors = flatten(errors);
    return new BadRequestException({
      code: 'validation_failed',
      detail: fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; '),
      errors: fieldErrors,
    });
  },
});

// A command body is a JSON object; no body at all means {} (e.g. POST /leads/:id/accept).
@Injectable()
export class JsonObjectBodyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body') return value;
    if (value === undefined) return {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new BadRequestException({
        code: 'validation_failed',
        detail: 'the request body must be a JSON object',
      });
    }
    return value;
  }
}
