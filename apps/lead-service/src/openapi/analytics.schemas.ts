import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  attributionGroupings,
  disputeStatuses,
  funnelSteps,
  handoffStatuses,
  slaGroupings,
} from '@lead/read-models';

// Response shapes for the OpenAPI document only; the handlers return plain objects of these shapes.

const nullableNumber = (example: number | null, description?: string) => ({
  type: Number,
  nullable: true,
  example,
  ...(description ? { description } : {}),
});

@ApiSchema({
  name: 'AsOf',
  description: 'what the answer is based on: the last event the read models (or replay) included',
})
export class AsOfSchema {
  @ApiProperty({ example: '1042' })
  position!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    example: '2026-03-20T16:00:00.120Z',
  })
  recordedAt!: string | null;
}

// Sums are exact at any size; a double cannot hold integers above 2^53 - 1, so those are strings.
export const minorUnitSum = {
  oneOf: [
    { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    { type: 'string', pattern: '^[0-9]{16,}$' },
  ],
  description:
    'a sum of minor units, exact: a JSON integer up to 9007199254740991 (2^53 - 1), above that the exact decimal string (no cent is ever rounded away); each conversion is at most 10^13 minor units',
  example: 1250000,
};

@ApiSchema({ name: 'AttributionRow' })
export class AttributionRowSchema {
  @ApiProperty({ description: 'the campaign, channel or sourcing team', example: 'spring-webinar' })
  key!: string;

  @ApiProperty({ example: 'EUR' })
  currency!: string;

  @ApiProperty({ ...minorUnitSum, description: `credited revenue: ${minorUnitSum.description}` })
  amount!: number | string;

  @ApiProperty({ description: 'converted leads credited to this key', example: 2 })
  conversions!: number;
}

@ApiSchema({
  name: 'AttributionTotal',
  description: 'one per currency; currencies are never added',
})
export class AttributionTotalSchema {
  @ApiProperty({ example: 'EUR' })
  currency!: string;

  @ApiProperty(minorUnitSum)
  amount!: number | string;

  @ApiProperty({ example: 1 })
  conversions!: number;
}

@ApiSchema({ name: 'AttributionReport' })
export class AttributionReportSchema {
  @ApiProperty({ description: 'model id and version', example: 'w_shaped@1' })
  model!: string;

  @ApiProperty({ enum: [...attributionGroupings], example: 'campaign' })
  groupBy!: string;

  @ApiProperty({ type: AsOfSchema })
  asOf!: AsOfSchema;

  @ApiProperty({ type: [AttributionRowSchema] })
  rows!: AttributionRowSchema[];

  @ApiProperty({ type: [AttributionTotalSchema] })
  totals!: AttributionTotalSchema[];
}

@ApiSchema({ name: 'Credit' })
export class CreditSchema {
  @ApiProperty({ example: 'capture' })
  touchId!: string;

  @ApiProperty({ example: 'spring-webinar' })
  campaignId!: string;

  @ApiProperty({ example: 'webinar' })
  channel!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:30:00.000Z' })
  occurredAt!: string;

  @ApiProperty({
    type: [String],
    enum: ['FT', 'LC', 'OC', 'CW'],
    description:
      'milestones this touch holds: first touch, lead creation, opportunity creation, closed won',
    example: ['LC'],
  })
  roles!: string[];

  @ApiProperty({ description: 'share of the amount, 0..1', example: 0.3 })
  weight!: number;

  @ApiProperty({
    description: 'minor units; the credits of a lead sum exactly to its amount',
    example: 375000,
  })
  amount!: number;
}

@ApiSchema({ name: 'LeadAttribution' })
export class LeadAttributionSchema {
  @ApiProperty({ format: 'uuid' })
  leadId!: string;

  @ApiProperty({ example: 'w_shaped@1' })
  model!: string;

  @ApiProperty({ example: true })
  converted!: boolean;

  @ApiProperty(nullableNumber(1250000, 'converted amount in minor units'))
  amount!: number | null;

  @ApiProperty({ type: String, nullable: true, example: 'EUR' })
  currency!: string | null;

  @ApiProperty({ type: [CreditSchema], description: 'empty until the lead converts' })
  credits!: CreditSchema[];

  @ApiProperty({ type: AsOfSchema })
  asOf!: AsOfSchema;
}

@ApiSchema({ name: 'HandoffOverride' })
export class HandoffOverrideSchema {
  @ApiProperty({ example: 'strategic account' })
  reason!: string;
}

@ApiSchema({
  name: 'HandoffCorrection',
  description: "an admin's audited verdict (POST /leads/{id}/handoffs/{handoffId}/sla-correction)",
})
export class HandoffCorrectionSchema {
  @ApiProperty({ enum: ['met', 'breached'], example: 'met' })
  verdict!: string;

  @ApiProperty({ example: 'CRM outage on 2026-03-01: the rep answered by phone on time' })
  reason!: string;

  @ApiProperty({ description: 'the admin who corrected it', example: 'admin-1' })
  by!: string;

  @ApiProperty({ format: 'date-time', description: 'when the correction was recorded' })
  at!: string;
}

@ApiSchema({
  name: 'HandoffRemedy',
  description: 'what the remedy automation did about the breach (the terms stamped at the handoff)',
})
export class HandoffRemedySchema {
  @ApiProperty({ enum: ['reassign', 'return_to_marketing', 'escalate'], example: 'reassign' })
  kind!: string;

  @ApiProperty({ format: 'date-time', description: 'when the remedy happened' })
  at!: string;

  @ApiProperty({
    format: 'uuid',
    description: 'the LeadReassigned, LeadReturnedToMarketing or LeadSlaEscalated event id',
  })
  eventId!: string;
}

@ApiSchema({
  name: 'HandoffReassignedFrom',
  description: 'the breached handoff a reassignment took over',
})
export class HandoffReassignedFromSchema {
  @ApiProperty({ format: 'uuid' })
  handoffId!: string;

  @ApiProperty({ description: 'the rep who breached it', example: 'rep-ana' })
  rep!: string;
}

@ApiSchema({ name: 'Handoff' })
export class HandoffSchema {
  @ApiProperty({
    format: 'uuid',
    description: 'the LeadHandedOff event id, or the LeadReassigned event id of a reassignment',
  })
  handoffId!: string;

  @ApiProperty({ format: 'uuid' })
  leadId!: string;

  @ApiProperty({ example: 'rep-ana' })
  toRep!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-01T10:05:00.000Z' })
  handedOffAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T10:05:00.000Z' })
  dueAt!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description: 'the business time the response claims (its occurredAt)',
    example: '2026-03-01T13:20:00.000Z',
  })
  respondedAt!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description: 'when the response was recorded (knowledge time)',
    example: '2026-03-01T13:20:00.412Z',
  })
  respondedRecordedAt!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['accepted', 'rejected'],
    example: 'accepted',
  })
  response!: string | null;

  @ApiProperty({
    enum: handoffStatuses,
    description:
      'the correction when an admin made one; else met when responded by dueAt on business time and not only after the breach alert (a response recorded after the alert stays breached, whatever respondedAt it claims); breached when late, after the alert, or unanswered past dueAt; else open',
    example: 'met',
  })
  status!: string;

  @ApiProperty(nullableNumber(195, 'handed off → response (claimed time), minutes'))
  responseMinutes!: number | null;

  @ApiProperty({ description: 'captured → handed off, minutes', example: 35 })
  speedToLeadMinutes!: number;

  @ApiProperty({ type: HandoffOverrideSchema, nullable: true })
  override!: HandoffOverrideSchema | null;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description: 'when the deadline watcher raised the breach alert (LeadHandoffSlaBreached)',
    example: null,
  })
  breachAlertedAt!: string | null;

  @ApiProperty({ type: HandoffCorrectionSchema, nullable: true })
  correction!: HandoffCorrectionSchema | null;

  @ApiProperty({ type: HandoffRemedySchema, nullable: true })
  remedy!: HandoffRemedySchema | null;

  @ApiProperty({
    type: HandoffReassignedFromSchema,
    nullable: true,
    description: 'set on a reassignment (remedy of a breach): a new SLA clock for the next rep',
  })
  reassignedFrom!: HandoffReassignedFromSchema | null;
  @ApiProperty({
    enum: disputeStatuses,
    description:
      "marketing's dispute of a rejection: none, open (awaiting the sales manager's ruling), upheld or overturned (a wrongful rejection)",
    example: 'none',
  })
  dispute!: string;
}

@ApiSchema({
  name: 'FollowUp',
  description: 'the follow-up SLA of one accepted handoff, under the terms stamped at the handoff',
})
export class FollowUpSchema {
  @ApiProperty({ format: 'uuid', description: 'the LeadHandedOff event id' })
  handoffId!: string;

  @ApiProperty({ format: 'uuid' })
  leadId!: string;

  @ApiProperty({ description: 'the rep who accepted the handoff', example: 'rep-ana' })
  rep!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-01T13:20:00.000Z' })
  acceptedAt!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'acceptedAt + withinHours of the terms',
    example: '2026-03-03T13:20:00.000Z',
  })
  deadline!: string;

  @ApiProperty({ description: 'attempts the terms require by the deadline', example: 3 })
  required!: number;

  @ApiProperty({ description: 'outreach attempts logged since the acceptance', example: 2 })
  attempts!: number;

  @ApiProperty({ description: 'of those, dated at or before the deadline', example: 2 })
  attemptsByDeadline!: number;

  @ApiProperty({
    enum: handoffStatuses,
    description:
      'met: the required attempts by the deadline, or converted by it; breached: the deadline passed without that, or the lead was lost before it short of the attempts; else open',
    example: 'open',
  })
  status!: string;
}

@ApiSchema({ name: 'SlaFollowUps' })
export class SlaFollowUpsSchema {
  @ApiProperty({ type: AsOfSchema })
  asOf!: AsOfSchema;

  @ApiProperty({ format: 'date-time', description: 'the instant open follow-ups are judged at' })
  now!: string;

  @ApiProperty({ type: [FollowUpSchema] })
  items!: FollowUpSchema[];
}

@ApiSchema({ name: 'SlaHandoffs' })
export class SlaHandoffsSchema {
  @ApiProperty({ type: AsOfSchema })
  asOf!: AsOfSchema;

  @ApiProperty({ format: 'date-time', description: 'the instant open handoffs are judged at' })
  now!: string;

  @ApiProperty({ type: [HandoffSchema] })
  items!: HandoffSchema[];
}

@ApiSchema({ name: 'MinutesDistribution' })
export class MinutesDistributionSchema {
  @ApiProperty(nullableNumber(195))
  median!: number | null;

  @ApiProperty(nullableNumber(610))
  p90!: number | null;
}

@ApiSchema({ name: 'SlaSummaryRow' })
export class SlaSummaryRowSchema {
  @ApiProperty({ description: 'rep id or month (YYYY-MM)', example: 'rep-ana' })
  key!: string;

  @ApiProperty({ example: 12 })
  handoffs!: number;

  @ApiProperty({ example: 9 })
  met!: number;

  @ApiProperty({ example: 2 })
  breached!: number;

  @ApiProperty({ example: 1 })
  open!: number;

  @ApiProperty(nullableNumber(0.82, 'met / (met + breached)'))
  compliance!: number | null;

  @ApiProperty({ type: MinutesDistributionSchema })
  responseMinutes!: MinutesDistributionSchema;

  @ApiProperty({ type: MinutesDistributionSchema })
  speedToLeadMinutes!: MinutesDistributionSchema;

  @ApiProperty({
    description:
      'accepted handoffs with follow-up terms (by the accepting rep when grouped by rep)',
    example: 8,
  })
  followUps!: number;

  @ApiProperty({ example: 6 })
  followUpsMet!: number;

  @ApiProperty({ example: 1 })
  followUpsBreached!: number;

  @ApiProperty({ example: 1 })
  followUpsOpen!: number;

  @ApiProperty(nullableNumber(0.86, 'followUpsMet / (followUpsMet + followUpsBreached)'))
  followUpCompliance!: number | null;
}

@ApiSchema({
  name: 'MarketingVolumeRow',
  description:
    "first handoffs per month against the target of the agreement version in force at the month's start, and the month's acceptance rate against that version's minimum",
})
export class MarketingVolumeRowSchema {
  @ApiProperty({ example: '2026-03' })
  month!: string;

  @ApiProperty({ example: 104 })
  handoffs!: number;

  @ApiProperty({ description: 'terms.marketing.mqlsPerMonth', example: 100 })
  target!: number;

  @ApiProperty({ example: true })
  met!: boolean;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: "the agreement version in force at the month's start",
    example: 2,
  })
  agreementVersion!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      "accepted ÷ (accepted + rejected) of the month's handoffs; null before any response",
    example: 0.82,
  })
  acceptanceRate!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'terms.marketing.minAcceptanceRate; null when the version sets none',
    example: 0.7,
  })
  minAcceptanceRate!: number | null;
}

@ApiSchema({ name: 'SlaSummary' })
export class SlaSummarySchema {
  @ApiProperty({ type: AsOfSchema })
  asOf!: AsOfSchema;

  @ApiProperty({ format: 'date-time' })
  now!: string;

  @ApiProperty({ enum: [...slaGroupings], example: 'rep' })
  groupBy!: string;

  @ApiProperty({ type: [SlaSummaryRowSchema] })
  rows!: SlaSummaryRowSchema[];

  @ApiProperty({ type: [MarketingVolumeRowSchema] })
  marketingVolume!: MarketingVolumeRowSchema[];
}

@ApiSchema({ name: 'FunnelStep' })
export class FunnelStepSchema {
  @ApiProperty({
    enum: [...funnelSteps],
    description:
      'accepted is SAL; sql counts leads sales qualified as an opportunity, and won leads (which were one)',
    example: 'mql',
  })
  stage!: string;

  @ApiProperty({ description: 'leads that reached this stage', example: 640 })
  count!: number;
}

@ApiSchema({ name: 'FunnelConversionRate' })
export class FunnelConversionRateSchema {
  @ApiProperty({ example: 'captured' })
  from!: string;

  @ApiProperty({ example: 'mql' })
  to!: string;

  @ApiProperty(nullableNumber(0.32, 'to / from, 4 decimals; null when from is 0'))
  rate!: number | null;
}

@ApiSchema({ name: 'Funnel' })
export class FunnelSchema {
  @ApiProperty({ type: AsOfSchema })
  asOf!: AsOfSchema;

  @ApiProperty({ type: [FunnelStepSchema] })
  steps!: FunnelStepSchema[];

  @ApiProperty({ type: [FunnelConversionRateSchema] })
  conversionRates!: FunnelConversionRateSchema[];

  @ApiProperty({ example: 210 })
  lost!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description:
      'lost leads by the stage they were lost from (unknown for losses recorded before that was kept)',
    example: { captured: 120, mql: 60, handed_off: 5, accepted: 15, sql: 10 },
  })
  lostFrom!: Record<string, number>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'leads per current stage',
    example: { captured: 1200, mql: 300, handed_off: 40, accepted: 60, converted: 190, lost: 210 },
  })
  currentStages!: Record<string, number>;
}
