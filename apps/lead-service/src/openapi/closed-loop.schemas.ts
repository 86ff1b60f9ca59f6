import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { qualityGroupings, salesScorecardGroupings, scoreBands } from '@lead/read-models';
import { AsOfSchema, minorUnitSum } from './analytics.schemas';

// Response shapes of the closed-loop reports (DESIGN §11), for the OpenAPI document only.

const rate = (description: string, example: number | null = 0.75) => ({
  type: Number,
  nullable: true,
  minimum: 0,
  maximum: 1,
  example,
  description: `${description}; a fraction 0..1 to four decimals, null when the denominator is 0`,
});
const count = (description: string, example = 3) => ({
  type: 'integer' as const,
  minimum: 0,
  description,
  example,
});
const revenue = (description: string) => ({
  type: [RevenueSchema] as [typeof RevenueSchema],
  description: `${description}: one entry per currency (never summed across currencies), in currency order`,
});

@ApiSchema({ name: 'Revenue', description: 'converted revenue in one currency' })
export class RevenueSchema {
  @ApiProperty({ example: 'EUR' })
  currency!: string;

  @ApiProperty(minorUnitSum)
  amount!: number | string;
}

@ApiSchema({
  name: 'QualityRow',
  description:
    "sales' answers to marketing's handoffs in one group; a handoff a breach remedy reassigned is judged by its reassignment's answer",
})
export class QualityRowSchema {
  @ApiProperty({
    description: "the lead's capture campaign or channel, its sourcing team, or the handoff month",
    example: 'spring-webinar',
  })
  key!: string;

  @ApiProperty(count('handoffs marketing made (re-handoffs included, reassignments not)', 12))
  handoffs!: number;

  @ApiProperty(count('accepted by sales', 8))
  accepted!: number;

  @ApiProperty(count('rejected by sales, overturned rejections included'))
  rejected!: number;

  @ApiProperty({
    type: 'object' as const,
    additionalProperties: { type: 'integer', minimum: 1 },
    description: 'rejections per reason, reasons in code-unit order',
    example: { bad_contact: 1, not_icp: 2 },
  })
  rejectedBy!: Record<string, number>;

  @ApiProperty(count('rejections the sales manager overturned on a dispute', 1))
  overturned!: number;

  @ApiProperty(rate('accepted / (accepted + rejected − overturned)'))
  acceptanceRate!: number | null;

  @ApiProperty(count('accepted handoffs whose lead converted', 2))
  converted!: number;

  @ApiProperty(rate('converted / accepted', 0.25))
  conversionRate!: number | null;

  @ApiProperty(revenue('the converted leads’ amounts'))
  revenue!: RevenueSchema[];

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'mean score at handoff of the scored handoffs, to two decimals; null if none',
    example: 71.5,
  })
  avgScoreAtHandoff!: number | null;
}

@ApiSchema({ name: 'QualityReport' })
export class QualityReportSchema {
  @ApiProperty({ enum: [...qualityGroupings], example: 'campaign' })
  groupBy!: string;

  @ApiProperty({ type: AsOfSchema })
  asOf!: AsOfSchema;

  @ApiProperty({ type: [QualityRowSchema], description: 'in key order' })
  rows!: QualityRowSchema[];
}

@ApiSchema({ name: 'ScoreBand', description: 'the handoffs whose score at handoff fell in a band' })
export class ScoreBandSchema {
  @ApiProperty({
    enum: [...scoreBands, 'none'],
    description: 'score range, inclusive; none = handed off without a score (override)',
    example: '60-79',
  })
  band!: string;

  @ApiProperty(count('handoffs marketing made with a score in the band', 10))
  handoffs!: number;

  @ApiProperty(count('accepted by sales (after any reassignment)', 7))
  accepted!: number;

  @ApiProperty(count('accepted handoffs whose lead converted', 2))
  converted!: number;

  @ApiProperty(rate('accepted / (accepted + rejected − overturned)'))
  acceptanceRate!: number | null;

  @ApiProperty(rate('converted / accepted', 0.29))
  conversionRate!: number | null;
}

@ApiSchema({ name: 'ScoreBands' })
export class ScoreBandsSchema {
  @ApiProperty({ type: AsOfSchema })
  asOf!: AsOfSchema;

  @ApiProperty({
    type: [ScoreBandSchema],
    description: 'every band 0-19 … 80-100 in order, empty or not; then none, only if any',
  })
  bands!: ScoreBandSchema[];
}

@ApiSchema({
  name: 'MarketingScorecardMonth',
  description: 'marketing in one month against the agreement in force at the month’s start',
})
export class MarketingScorecardMonthSchema {
  @ApiProperty({ example: '2026-03' })
  month!: string;

  @ApiProperty(count('leads that became MQLs that month (qualification time)', 140))
  mqls!: number;

  @ApiProperty(
    count('leads delivered: first handoffs that month (re-handoffs are not new leads)', 120),
  )
  handoffs!: number;

  @ApiProperty({
    type: 'integer' as const,
    nullable: true,
    description: 'marketing.mqlsPerMonth of the agreement in force; null if none was',
    example: 100,
  })
  volumeTarget!: number | null;

  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'handoffs ≥ volumeTarget; null without a target',
  })
  volumeMet!: boolean | null;

  @ApiProperty(count('of every handoff marketing made that month: accepted', 90))
  accepted!: number;

  @ApiProperty(count('rejected (overturned included)', 30))
  rejected!: number;

  @ApiProperty(count('rejections overturned on dispute', 4))
  overturned!: number;

  @ApiProperty(rate('accepted / (accepted + rejected − overturned)'))
  acceptanceRate!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 1,
    description: 'marketing.minAcceptanceRate of the agreement in force; null if it sets none',
    example: 0.7,
  })
  qualityTarget!: number | null;

  @ApiProperty({
    type: Boolean,
    nullable: true,
    description:
      'acceptanceRate ≥ qualityTarget (compared unrounded); null without a target or without responses',
  })
  qualityMet!: boolean | null;

  @ApiProperty(revenue('revenue of leads sourced by marketing, in the month they converted'))
  sourcedRevenue!: RevenueSchema[];

  @ApiProperty({
    type: 'integer' as const,
    nullable: true,
    description: 'the agreement version in force at the month’s start, which set both targets',
    example: 2,
  })
  agreementVersion!: number | null;
}

@ApiSchema({ name: 'MarketingScorecard' })
export class MarketingScorecardSchema {
  @ApiProperty({ type: AsOfSchema })
  asOf!: AsOfSchema;

  @ApiProperty({ type: [MarketingScorecardMonthSchema], description: 'in month order' })
  months!: MarketingScorecardMonthSchema[];
}

@ApiSchema({ name: 'SalesScorecardRow' })
export class SalesScorecardRowSchema {
  @ApiProperty({ description: 'the rep, or the handoff month', example: 'rep-ana' })
  key!: string;

  @ApiProperty(
    count('handoff rows (a reassignment is the new rep’s own row) to the rep, or that month', 20),
  )
  handoffs!: number;

  @ApiProperty(count('answered and met (by dueAt, or corrected to met)', 15))
  respondedOnTime!: number;

  @ApiProperty(count('answered and breached (late, after the alert, or corrected)', 3))
  respondedLate!: number;

  @ApiProperty(count('not answered (open, or breached once past due)', 2))
  unanswered!: number;

  @ApiProperty(
    rate(
      'met / (met + breached) of the response SLA as in /sla/summary: an unanswered handoff past due is breached, an open one is not counted',
    ),
  )
  responseCompliance!: number | null;

  @ApiProperty(count('accepted handoffs with at least one outreach attempt', 12))
  worked!: number;

  @ApiProperty(count('follow-ups met (as /sla/follow-ups judges them)', 10))
  followUpsMet!: number;

  @ApiProperty(count('follow-ups breached', 2))
  followUpsBreached!: number;

  @ApiProperty(rate('followUpsMet / (followUpsMet + followUpsBreached)', 0.83))
  followUpCompliance!: number | null;

  @ApiProperty(
    count('accepted handoffs whose lead became an SQL (a won deal counts, as in the funnel)', 6),
  )
  sql!: number;

  @ApiProperty(count('accepted handoffs whose lead converted', 4))
  converted!: number;

  @ApiProperty(count('accepted handoffs whose lead was lost', 4))
  lost!: number;

  @ApiProperty(rate('converted / (converted + lost)', 0.5))
  closeRate!: number | null;

  @ApiProperty(revenue('the converted leads’ amounts'))
  revenue!: RevenueSchema[];

  @ApiProperty(count('rejections overturned on dispute: wrongful rejections', 1))
  rejectionsOverturned!: number;
}

@ApiSchema({ name: 'SalesScorecard' })
export class SalesScorecardSchema {
  @ApiProperty({ enum: [...salesScorecardGroupings], example: 'rep' })
  groupBy!: string;

  @ApiProperty({ type: AsOfSchema })
  asOf!: AsOfSchema;

  @ApiProperty({
    format: 'date-time',
    description: 'the instant open handoffs and follow-ups are judged at',
  })
  now!: string;

  @ApiProperty({ type: [SalesScorecardRowSchema], description: 'in key order' })
  rows!: SalesScorecardRowSchema[];
}
