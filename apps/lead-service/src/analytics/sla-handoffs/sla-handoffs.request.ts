import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { HandoffStatus } from '@lead/domain';
import { handoffStatuses } from '@lead/read-models';
import { IsIdentifier, identifierPattern } from '../../leads/shared/lead-request-fields';
import { AnalyticsQueryRequest } from '../analytics-query.request';

export class SlaHandoffsRequest extends AnalyticsQueryRequest {
  @ApiPropertyOptional({ enum: handoffStatuses, description: 'judged at now (or at asOf)' })
  @IsOptional()
  @IsIn(handoffStatuses, { message: `status must be one of ${handoffStatuses.join(', ')}` })
  status?: HandoffStatus;

  @ApiPropertyOptional({ pattern: identifierPattern, example: 'rep-ana' })
  @IsOptional()
  @IsIdentifier()
  rep?: string;
}
