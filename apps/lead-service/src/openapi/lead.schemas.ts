import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { leadStages } from '../leads/shared/lead-request-fields';

// Response shapes for the OpenAPI document only; the handlers return plain objects of these shapes.

export const personalFieldsNote =
  'email, name and profile.title are personal data: shown to marketing, sales, their managers and admin; analyst and auditor get null. All are null once the personal data was erased (personalDataErased).';

const leadId = {
  format: 'uuid',
  example: '0195a7f2-6c1e-7b3a-9d4e-2f8a1c3b5d7e',
};
const position = {
  description: 'global position in the log, a decimal string (it can exceed 2^53)',
  example: '1042',
};
const instant = (example: string) => ({ format: 'date-time', example });
const nullableInstant = (example: string) => ({
  ...instant(example),
  type: String,
  nullable: true,
});

@ApiSchema({ name: 'LeadCommandResult' })
export class LeadCommandResultSchema {
  @ApiProperty(leadId)
  leadId!: string;

  @ApiProperty({
    description:
      'the stream revision after the command; also sent as ETag, send it back as If-Match',
    example: 3,
  })
  revision!: number;

  @ApiProperty({
    ...position,
    description: `${position.description}; pass it as consistentWith to read your own write`,
  })
  position!: string;
}

@ApiSchema({ name: 'Touchpoint' })
export class TouchpointSchema {
  @ApiProperty({ example: 'spring-webinar' })
  campaignId!: string;

  @ApiProperty({ example: 'webinar' })
  channel!: string;
}

@ApiSchema({ name: 'Money', description: 'integer minor units (cents) and an ISO 4217 currency' })
export class MoneySchema {
  @ApiProperty({ example: 1250000 })
  amount!: number;

  @ApiProperty({ example: 'EUR' })
  currency!: string;
}

@ApiSchema({ name: 'LeadTimestamps', description: 'business times (occurredAt) of each milestone' })
export class LeadTimestampsSchema {
  @ApiProperty(instant('2026-03-01T09:30:00.000Z'))
  capturedAt!: string;

  @ApiProperty(nullableInstant('2026-03-01T10:00:00.000Z'))
  qualifiedAt!: string | null;

  @ApiProperty(nullableInstant('2026-03-01T10:05:00.000Z'))
  handedOffAt!: string | null;

  @ApiProperty(nullableInstant('2026-03-01T13:20:00.000Z'))
  acceptedAt!: string | null;

  @ApiProperty({
    ...nullableInstant('2026-03-05T11:00:00.000Z'),
    description: 'when sales qualified it as an opportunity (SQL)',
  })
  sqlAt!: string | null;

  @ApiProperty(nullableInstant('2026-03-20T16:00:00.000Z'))
  convertedAt!: string | null;

  @ApiProperty({ ...nullableInstant('2026-03-20T16:00:00.000Z'), example: null })
  lostAt!: string | null;
}

@ApiSchema({
  name: 'LeadProfile',
  description: 'what fit rules read: the capture, then profile updates (POST /leads/:id/profile)',
})
export class LeadProfileSchema {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'personal data, shown like email',
    example: 'Chief Technology Officer',
  })
  title!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Analytical Engines Ltd' })
  company!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'software' })
  industry!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'ISO 3166-1 alpha-2',
    example: 'GB',
  })
  country!: string | null;

  @ApiProperty({ type: Number, nullable: true, minimum: 1, example: 250 })
  employees!: number | null;
}

@ApiSchema({
  name: 'RejectionDispute',
  description: "marketing's dispute of a rejected handoff and the sales manager's ruling",
})
export class RejectionDisputeSchema {
  @ApiProperty({ format: 'uuid', description: 'the rejected handoff (its LeadHandedOff event id)' })
  handoffId!: string;

  @ApiProperty({ enum: ['open', 'upheld', 'overturned'], example: 'overturned' })
  status!: string;

  @ApiProperty({ example: 'fits the ICP: 400 employees' })
  reason!: string;

  @ApiProperty({ example: 'marketing-dev' })
  disputedBy!: string;

  @ApiProperty(instant('2026-03-03T10:00:00.000Z'))
  disputedAt!: string;

  @ApiProperty({ type: String, nullable: true, example: 'sales-manager-dev' })
  ruledBy!: string | null;

  @ApiProperty(nullableInstant('2026-03-04T10:00:00.000Z'))
  ruledAt!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'listened to the call' })
  note!: string | null;
}

@ApiSchema({ name: 'Lead' })
export class LeadSchema {
  @ApiProperty(leadId)
  leadId!: string;

  @ApiProperty({ enum: leadStages, example: 'accepted' })
  stage!: string;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 100, example: 82 })
  score!: number | null;

  @ApiProperty({ description: 'the score has reached the MQL threshold', example: true })
  qualified!: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'the sales rep', example: 'rep-ana' })
  owner!: string | null;

  @ApiProperty({ enum: ['marketing', 'sales', 'partner'], example: 'marketing' })
  sourcedBy!: string;

  @ApiProperty({ type: TouchpointSchema })
  source!: TouchpointSchema;

  @ApiProperty({
    type: String,
    nullable: true,
    description: `personal data. ${personalFieldsNote}`,
    example: 'ada@example.com',
  })
  email!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'personal data, shown like email',
    example: 'Ada Lovelace',
  })
  name!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Analytical Engines Ltd' })
  company!: string | null;

  @ApiProperty({ type: LeadProfileSchema })
  profile!: LeadProfileSchema;

  @ApiProperty({ example: false })
  personalDataErased!: boolean;

  @ApiProperty({ type: [String], example: ['ads-q1', 'spring-webinar'] })
  campaignIds!: string[];

  @ApiProperty({ type: LeadTimestampsSchema })
  timestamps!: LeadTimestampsSchema;

  @ApiProperty({ type: MoneySchema, nullable: true, description: 'set once converted' })
  amount!: MoneySchema | null;

  @ApiProperty({ type: String, nullable: true, example: 'opp-981' })
  opportunityId!: string | null;

  @ApiProperty({
    type: MoneySchema,
    nullable: true,
    description: 'the estimate given when sales qualified it (SQL), if any',
  })
  estimate!: MoneySchema | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  lostReason!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: leadStages,
    description: 'the stage it was lost from',
    example: null,
  })
  lostFrom!: string | null;

  @ApiProperty({ description: 'number of handoffs so far', example: 1 })
  handoffs!: number;

  @ApiProperty({ description: 'outreach attempts sales logged (activities)', example: 2 })
  activities!: number;

  @ApiProperty({ type: [RejectionDisputeSchema] })
  disputes!: RejectionDisputeSchema[];

  @ApiProperty({ example: 5 })
  revision!: number;

  @ApiProperty(instant('2026-03-20T16:00:00.000Z'))
  updatedAt!: string;
}

@ApiSchema({ name: 'ScoreEvidenceReason' })
export class ScoreEvidenceReasonSchema {
  @ApiProperty({ example: 'webinar' })
  rule!: string;

  @ApiProperty({
    enum: ['fit', 'engagement', 'external'],
    description: 'external: a reason sent by a client with its score',
    example: 'engagement',
  })
  kind!: 'fit' | 'engagement' | 'external';

  @ApiProperty({ description: 'rounded to 2 decimals', example: 18.75 })
  points!: number;
}

@ApiSchema({ name: 'LeadScore', description: "the evidence for a lead's score at a business time" })
export class LeadScoreSchema {
  @ApiProperty(leadId)
  leadId!: string;

  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 100,
    description: 'null under external scoring when no client scored the lead by `at`',
    example: 72,
  })
  score!: number | null;

  @ApiProperty({ description: 'score >= the MQL threshold in force at `at`', example: true })
  qualified!: boolean;

  @ApiProperty({ description: 'the agreement version in force at `at`', example: 2 })
  agreementVersion!: number;

  @ApiProperty(instant('2026-03-20T16:00:00.000Z'))
  at!: string;

  @ApiProperty({ type: [ScoreEvidenceReasonSchema], description: 'in the order of the terms' })
  reasons!: ScoreEvidenceReasonSchema[];
}

@ApiSchema({ name: 'LeadPage' })
export class LeadPageSchema {
  @ApiProperty({ type: [LeadSchema] })
  items!: LeadSchema[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as cursor for the next page; null on the last page',
    example: 'eyJhZnRlciI6IjAxOTVhN2YyIn0',
  })
  nextCursor!: string | null;
}

@ApiSchema({ name: 'Actor', description: 'taken from the token, never from a request body' })
export class ActorSchema {
  @ApiProperty({ example: 'marketing-dev' })
  id!: string;

  @ApiProperty({ example: 'marketing' })
  role!: string;
}

@ApiSchema({
  name: 'OnBehalfOf',
  description: 'who did it in another system, given by a bulk import line (POST /imports)',
})
export class OnBehalfOfSchema {
  @ApiProperty({ example: 'rep-ana' })
  id!: string;

  @ApiProperty({ example: 'sales' })
  role!: string;
}

@ApiSchema({ name: 'EventMetadata' })
export class EventMetadataSchema {
  @ApiProperty({ format: 'uuid', description: 'UUIDv7; the de-duplication key downstream' })
  eventId!: string;

  @ApiProperty({ ...instant('2026-03-01T09:30:00.000Z'), description: 'business time' })
  occurredAt!: string;

  @ApiProperty({ ...instant('2026-03-01T09:30:00.120Z'), description: 'when the log stored it' })
  recordedAt!: string;

  @ApiProperty({ type: ActorSchema })
  actor!: ActorSchema;

  @ApiProperty({ example: 'corr-42' })
  correlationId!: string;

  @ApiProperty({ type: String, nullable: true, example: null })
  causationId!: string | null;

  @ApiProperty({ example: 1 })
  schemaVersion!: number;

  @ApiPropertyOptional({
    type: OnBehalfOfSchema,
    description: 'only on imported events that named who did it in the old system',
  })
  onBehalfOf?: OnBehalfOfSchema;

  @ApiProperty({ description: 'hash of the previous event in the stream (SHA-256, hex)' })
  prevHash!: string;

  @ApiProperty({ description: 'SHA-256 over prevHash and this event (hex)' })
  hash!: string;
}

@ApiSchema({ name: 'RecordedEvent' })
export class RecordedEventSchema {
  @ApiProperty({ example: 'lead-0195a7f2-6c1e-7b3a-9d4e-2f8a1c3b5d7e' })
  streamId!: string;

  @ApiProperty({ example: 0 })
  revision!: number;

  @ApiProperty(position)
  position!: string;

  @ApiProperty({ example: 'LeadCaptured' })
  type!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'the event data as stored (DESIGN §3)',
    example: { leadId: '0195a7f2-6c1e-7b3a-9d4e-2f8a1c3b5d7e', email: 'ada@example.com' },
  })
  data!: Record<string, unknown>;

  @ApiProperty({ type: EventMetadataSchema })
  metadata!: EventMetadataSchema;
}

@ApiSchema({ name: 'ChainBreak' })
export class ChainBreakSchema {
  @ApiProperty({ example: 2 })
  revision!: number;

  @ApiProperty({ type: String, nullable: true })
  eventId!: string | null;

  @ApiProperty({ example: 'hash does not match the event content' })
  reason!: string;
}

@ApiSchema({ name: 'ChainVerdict', description: 'the audit hash chain check' })
export class ChainVerdictSchema {
  @ApiProperty({ example: true })
  valid!: boolean;

  @ApiPropertyOptional({ type: ChainBreakSchema, description: 'present when valid is false' })
  brokenAt?: ChainBreakSchema;
}

@ApiSchema({ name: 'LeadHistory' })
export class LeadHistorySchema {
  @ApiProperty(leadId)
  leadId!: string;

  @ApiProperty({ type: [RecordedEventSchema] })
  events!: RecordedEventSchema[];

  @ApiProperty({ type: ChainVerdictSchema })
  chain!: ChainVerdictSchema;
}
