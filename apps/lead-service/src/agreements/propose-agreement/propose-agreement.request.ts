import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional } from 'class-validator';
import { IsText, IsTimestamp } from '../../leads/shared/lead-request-fields';

export class ProposeAgreementRequest {
  @ApiProperty({
    format: 'date-time',
    description:
      'when the version takes effect once approved; not before now (no retroactive agreements)',
    example: '2026-04-01T00:00:00Z',
  })
  @IsTimestamp()
  effectiveFrom!: string;

  // Validated by the domain, field by field (400 agreement_terms_invalid with errors[]).
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'qualification {mqlThreshold}, scoring {source: external | rules, fit, engagement, decayHalfLifeDays?}, salesResponse {acceptWithinMinutes, businessHours?}, salesFollowUp?, marketing {mqlsPerMonth, minAcceptanceRate?}, remedy?, pilot? (DESIGN §10). Unknown fields are refused; no regular expressions.',
    example: {
      qualification: { mqlThreshold: 65 },
      scoring: { source: 'external' },
      salesResponse: {
        acceptWithinMinutes: 240,
        businessHours: {
          timeZone: 'Europe/Berlin',
          days: [1, 2, 3, 4, 5],
          from: '09:00',
          to: '17:00',
        },
      },
      marketing: { mqlsPerMonth: 120 },
    },
  })
  @IsObject()
  terms!: Record<string, unknown>;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 2000,
    example: 'business hours for the Berlin team',
  })
  @IsOptional()
  @IsText(2000)
  note?: string;
}
