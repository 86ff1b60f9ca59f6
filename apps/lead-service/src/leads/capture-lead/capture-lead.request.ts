import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { SourcedBy } from '@lead/domain';
import {
  DatedRequest,
  IsIdentifier,
  IsSlug,
  IsText,
  IsTimestamp,
  ProfileCountry,
  ProfileEmployees,
  ProfileIndustry,
  ProfileTitle,
  identifierPattern,
  slugPattern,
} from '../shared/lead-request-fields';

export class TouchpointRequest {
  @ApiProperty({ example: 'spring-webinar', pattern: identifierPattern })
  @IsIdentifier()
  campaignId!: string;

  @ApiProperty({ example: 'webinar', pattern: slugPattern })
  @IsSlug()
  channel!: string;
}

export class PriorTouchRequest {
  @ApiProperty({ example: 'ads-q1', pattern: identifierPattern })
  @IsIdentifier()
  campaignId!: string;

  @ApiProperty({ example: 'paid_search', pattern: slugPattern })
  @IsSlug()
  channel!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'when this earlier touch happened; may be before the capture',
    example: '2026-02-20T09:00:00Z',
  })
  @IsTimestamp()
  occurredAt!: string;
}

const occurredAtOfCapture =
  'Business time (ISO-8601 with a zone), e.g. for imports; default now; at most 2 minutes in the future. Every later command on the lead is refused (409 occurred_before_prerequisite) when dated before it; prior touches carry the earlier history.';

export class CaptureLeadRequest extends DatedRequest(occurredAtOfCapture) {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'choose the id yourself (any case; the lead is known by its lower-case form); default a new UUIDv7 (derived from Idempotency-Key when sent)',
  })
  @IsOptional()
  @IsUUID('all')
  leadId?: string;

  @ApiProperty({ format: 'email', maxLength: 254, example: 'ada@example.com' })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  email!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'Ada Lovelace' })
  @IsOptional()
  @IsText(200)
  name?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'Analytical Engines Ltd' })
  @IsOptional()
  @IsText(200)
  company?: string;

  @ProfileTitle()
  title?: string;

  @ProfileIndustry()
  industry?: string;

  @ProfileCountry()
  country?: string;

  @ProfileEmployees()
  employees?: number;

  @ApiProperty({ type: TouchpointRequest, description: 'the touch that captured the lead' })
  @IsObject()
  @ValidateNested()
  @Type(() => TouchpointRequest)
  source!: TouchpointRequest;

  @ApiPropertyOptional({
    enum: ['marketing', 'sales', 'partner'],
    default: 'marketing',
    description: 'the team credited with sourced revenue',
  })
  @IsOptional()
  @IsIn(['marketing', 'sales', 'partner'])
  sourcedBy?: SourcedBy;

  @ApiPropertyOptional({
    type: [PriorTouchRequest],
    maxItems: 100,
    description: 'touches before capture (e.g. an earlier ad click), for attribution',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PriorTouchRequest)
  priorTouches?: PriorTouchRequest[];
}
