import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsISO31661Alpha2,
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import type { LeadStage } from '@lead/domain';

export const leadStages: LeadStage[] = [
  'captured',
  'mql',
  'nurturing',
  'handed_off',
  'accepted',
  'sql',
  'converted',
  'lost',
];

// Business times are full timestamps with a zone, so they mean one instant everywhere.
const timestampWithZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
// The founding agreement is in force from the epoch: nothing earlier has terms to be judged by.
export const earliestBusinessTime = '1970-01-01T00:00:00Z';
const NotBeforeEpoch = () =>
  ValidateBy(
    {
      name: 'notBeforeEpoch',
      validator: { validate: (value) => typeof value !== 'string' || !(Date.parse(value) < 0) },
    },
    { message: `$property must not be before ${earliestBusinessTime}` },
  );
export const IsTimestamp = () =>
  applyDecorators(
    IsISO8601({ strict: true }, { message: '$property must be an ISO-8601 timestamp' }),
    Matches(timestampWithZone, {
      message: '$property must be an ISO-8601 timestamp with a zone, e.g. 2026-03-01T09:30:00Z',
    }),
    NotBeforeEpoch(),
  );

// The OpenAPI description of a command's occurredAt: the shared business time rules (README
// "Business time rules"), then what this command may not be dated before.
export const occurredAtDescription = (notBefore: string): string =>
  'Business time (ISO-8601 with a zone), e.g. for imports and backfills; default now; at most 2 minutes ' +
  `in the future (400 occurred_at_in_future); not before ${earliestBusinessTime} (400). Not before ${notBefore} ` +
  '(409 occurred_before_prerequisite, naming both times).';

/**
 * The base of every request whose command may be dated: one optional occurredAt, described by
 * what that command may not be dated before. A base for one field, not a hierarchy of behaviour.
 */
export const DatedRequest = (description: string) => {
  class Dated {
    @ApiPropertyOptional({ format: 'date-time', description, example: '2026-03-01T09:30:00Z' })
    @IsOptional()
    @IsTimestamp()
    occurredAt?: string;
  }
  return Dated;
};

// The patterns as strings too, for the OpenAPI document.
export const identifierPattern = '^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$';
export const slugPattern = '^[a-z][a-z0-9_]{0,49}$';

export const IsIdentifier = () =>
  applyDecorators(
    IsString(),
    Matches(new RegExp(identifierPattern), {
      message:
        '$property must be 1-100 letters, digits or . _ : @ - (starting with a letter or digit)',
    }),
  );

// Channels and engagement kinds are lower-case slugs (paid_search, webinar) so reports group cleanly.
export const IsSlug = () =>
  applyDecorators(
    IsString(),
    Matches(new RegExp(slugPattern), {
      message: '$property must be a lower-case identifier such as paid_search',
    }),
  );

export const IsText = (max: number) => applyDecorators(IsString(), Length(1, max));

// The profile fields fit rules read (DESIGN §10), shared by capture and profile updates.
export const profileFieldNames = ['title', 'company', 'industry', 'country', 'employees'] as const;

export const ProfileTitle = () =>
  applyDecorators(
    ApiPropertyOptional({
      minLength: 1,
      maxLength: 200,
      description:
        'job title; personal data (encrypted at rest, erased with the lead), shown like name',
      example: 'Chief Technology Officer',
    }),
    IsOptional(),
    IsText(200),
  );

export const ProfileIndustry = () =>
  applyDecorators(
    ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'software' }),
    IsOptional(),
    IsText(100),
  );

export const ProfileCountry = () =>
  applyDecorators(
    ApiPropertyOptional({
      minLength: 2,
      maxLength: 2,
      description: 'ISO 3166-1 alpha-2 code, any case; stored upper-case',
      example: 'GB',
    }),
    IsOptional(),
    IsString(),
    IsISO31661Alpha2({ message: '$property must be an ISO 3166-1 alpha-2 country code' }),
  );

export const ProfileEmployees = () =>
  applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10_000_000, example: 250 }),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(10_000_000),
  );

/** ISO country codes are kept upper-case, so `in: ["DE"]` and `equals: "de"` read the same code. */
export const canonicalCountry = (country: string | undefined): string | undefined =>
  country?.toUpperCase();
