import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { HandoffStatus } from '@lead/domain';
import { type HandoffView, disputeStatuses, handoffStatuses } from '@lead/read-models';
import { IsIdentifier, identifierPattern } from '../../leads/shared/lead-request-fields';
import { AnalyticsQueryRequest } from '../analytics-query.request';

// The filters handoff rows and follow-up rows share.
export class SlaRowsRequest extends AnalyticsQueryRequest {
  @ApiPropertyOptional({ enum: handoffStatuses, description: 'judged at now (or at asOf)' })
  @IsOptional()
  @IsIn(handoffStatuses, { message: `status must be one of ${handoffStatuses.join(', ')}` })
  status?: HandoffStatus;

  @ApiPropertyOptional({ pattern: identifierPattern, example: 'rep-ana' })
  @IsOptional()
  @IsIdentifier()
  rep?: string;
}

export class SlaHandoffsRequest extends SlaRowsRequest {
  @ApiPropertyOptional({
    enum: disputeStatuses,
    description:
      "marketing's dispute of the rejection: open = disputed, awaiting the sales manager's ruling",
  })
  @IsOptional()
  @IsIn(disputeStatuses, { message: `dispute must be one of ${disputeStatuses.join(', ')}` })
  dispute?: HandoffView['dispute'];
}
