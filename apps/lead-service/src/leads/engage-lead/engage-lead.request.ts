import { ApiProperty } from '@nestjs/swagger';
import {
  DatedRequest,
  IsIdentifier,
  IsSlug,
  identifierPattern,
  slugPattern,
  occurredAtDescription,
} from '../shared/lead-request-fields';

export class EngageLeadRequest extends DatedRequest(
  occurredAtDescription(
    'the capture; an engagement may be dated before later milestones (late-arriving touches)',
  ),
) {
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
}
