import { IsOptional } from 'class-validator';
import { IsIdentifier, IsSlug, IsTimestamp } from '../shared/lead-request-fields';

export class EngageLeadRequest {
  @IsIdentifier()
  campaignId!: string;

  @IsSlug()
  channel!: string;

  // e.g. email_click, webinar, content_download, ad_click, event, demo_request
  @IsSlug()
  kind!: string;

  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;
}
