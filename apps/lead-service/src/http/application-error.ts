export type FieldError = { field: string; message: string };

// Stable codes of the application layer (requests, headers, read-side consistency), beside the
// domain's DomainErrorCode; the problem filter maps both to a status in one table.
export type ApplicationErrorCode =
  | 'validation_failed'
  | 'invalid_header'
  | 'unauthenticated'
  | 'forbidden'
  | 'body_too_large'
  | 'unsupported_media_type'
  | 'consistent_with_beyond_head'
  | 'as_of_beyond_head'
  | 'as_of_in_future'
  | 'read_models_behind'
  | 'busy'
  | 'client_closed_request'
  | 'what_if_scoring_external';

export class ApplicationError extends Error {
  constructor(
    readonly code: ApplicationErrorCode,
    readonly detail: string,
    readonly errors?: FieldError[],
    /** field errors beyond the ones listed */
    readonly errorsOmitted?: number,
  ) {
    super(detail);
    this.name = 'ApplicationError';
  }
}
