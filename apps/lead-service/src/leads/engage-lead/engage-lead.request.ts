import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import {
  IsIdentifier,
  IsSlug,
  IsTimestamp,
  identifierPattern,
  slugPattern,
  occurredAtDescription,
} from '../shared/lead-request-fields';

export class EngageLeadRequest {
  @ApiProperty({ pattern: identifierPattern, example: 'newsletter' })
  @IsIdentifier()
  campaignId!: string;

  @ApiProperty({ pattern: slugPattern, example: 'email' })
  @IsSlug()
  channel!: string;

  // e.g. email_click, webinar, content_download, ad_click, event, demo_request
  @ApiProperty({ pattern: slugPattern, example: 'email_click' })
  @IsSlug()
  kind!: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: occurredAtDescription(
      'the capture; an engagement may be dated before later milestones (late-arriving touches)',
    ),
    example: '2026-03-01T09:30:00Z',
  })
  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;
}
