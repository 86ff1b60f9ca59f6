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
import { IsIdentifier, IsSlug, IsText, IsTimestamp } from '../shared/lead-request-fields';

export class TouchpointRequest {
  @IsIdentifier()
  campaignId!: string;

  @IsSlug()
  channel!: string;
}

export class PriorTouchRequest {
  @IsIdentifier()
  campaignId!: string;

  @IsSlug()
  channel!: string;

  @IsTimestamp()
  occurredAt!: string;
}

export class CaptureLeadRequest {
  @IsOptional()
  @IsUUID('all')
  leadId?: string;

  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  email!: string;

  @IsOptional()
  @IsText(200)
  name?: string;

  @IsOptional()
  @IsText(200)
  company?: string;

  @IsObject()
  @ValidateNested()
  @Type(() => TouchpointRequest)
  source!: TouchpointRequest;

  @IsOptional()
  @IsIn(['marketing', 'sales', 'partner'])
  sourcedBy?: SourcedBy;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PriorTouchRequest)
  priorTouches?: PriorTouchRequest[];

  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;
}
