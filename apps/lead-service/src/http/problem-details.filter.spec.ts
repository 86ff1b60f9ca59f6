import { DomainError } from '@lead/domain';
import { type ApplicationErrorCode, ApplicationError } from './application-error';
import { toProblem } from './problem-details.filter';

describe('toProblem', () => {
  it.each<[ApplicationErrorCode, number]>([
    ['validation_failed', 400],
    ['invalid_header', 400],
    ['consistent_with_beyond_head', 400],
    ['as_of_beyond_head', 400],
    ['as_of_in_future', 400],
    ['unauthenticated', 401],
    ['forbidden', 403],
    ['read_models_behind', 503],
  ])('maps the application code %s to %i in the same table as domain codes', (code, status) => {
    const errors = [{ field: 'x', message: 'x is wrong' }];
    expect(toProblem(new ApplicationError(code, 'what went wrong', errors, 3))).toEqual({
      type: `urn:lead-lifecycle:problem:${code}`,
      title: expect.any(String),
      status,
      detail: 'what went wrong',
      code,
      errors,
      errorsOmitted: 3,
    });
  });

  it('maps a domain code by its own table', () => {
    expect(toProblem(new DomainError('lead_not_found', 'lead x does not exist'))).toMatchObject({
      status: 404,
      code: 'lead_not_found',
    });
  });
});
