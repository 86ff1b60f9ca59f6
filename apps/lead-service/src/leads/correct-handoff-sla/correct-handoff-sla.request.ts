import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { SlaVerdict } from '@lead/domain';
import { IsText } from '../shared/lead-request-fields';

export const slaVerdicts: SlaVerdict[] = ['met', 'breached'];

// No occurredAt: a correction is an administrative act, dated when it is recorded.
export class CorrectHandoffSlaRequest {
  @ApiProperty({ enum: slaVerdicts, example: 'met' })
  @IsIn(slaVerdicts, { message: `verdict must be one of ${slaVerdicts.join(', ')}` })
  verdict!: SlaVerdict;

  @ApiProperty({
    minLength: 1,
    maxLength: 2000,
    description: 'why the computed verdict is wrong; kept in the audit log and on the SLA row',
    example: 'CRM outage on 2026-03-01: the rep answered by phone on time',
  })
  @IsText(2000)
  reason!: string;
}
