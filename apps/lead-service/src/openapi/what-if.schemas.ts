import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { handoffStatuses } from '@lead/read-models';
import { AsOfSchema } from './analytics.schemas';

// Response shapes of the what-if questions (DESIGN §10), for the OpenAPI document only.

@ApiSchema({ name: 'SlaTally', description: 'handoffs in the window by status' })
export class SlaTallySchema {
  @ApiProperty({ example: 40 })
  handoffs!: number;

  @ApiProperty({ example: 31 })
  met!: number;

  @ApiProperty({ example: 6 })
  breached!: number;

  @ApiProperty({ example: 3 })
  open!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'met ÷ (met + breached); null when none is decided',
    example: 0.838,
  })
  compliance!: number | null;
}

@ApiSchema({ name: 'SlaWhatIfChange' })
export class SlaWhatIfChangeSchema {
  @ApiProperty({ example: '01943a4e-3c00-7000-8000-0000000000a1' })
  handoffId!: string;

  @ApiProperty({ example: '01943a4e-3c00-7000-8000-00000000001e' })
  leadId!: string;

  @ApiProperty({ example: 'rep-ana' })
  toRep!: string;

  @ApiProperty({ enum: handoffStatuses, example: 'met' })
  actual!: string;

  @ApiProperty({ enum: handoffStatuses, example: 'breached' })
  hypothetical!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T11:00:00.000Z' })
  hypotheticalDueAt!: string;
}

@ApiSchema({ name: 'SlaWhatIf' })
export class SlaWhatIfSchema {
  @ApiProperty({ description: 'the agreement version judged under', example: 3 })
  version!: number;

  @ApiProperty({ type: AsOfSchema })
  asOf!: AsOfSchema;

  @ApiProperty({
    format: 'date-time',
    description: 'the instant open handoffs are judged at',
    example: '2026-03-20T16:00:00.120Z',
  })
  now!: string;

  @ApiProperty({ type: SlaTallySchema, description: 'as stamped and recorded' })
  actual!: SlaTallySchema;

  @ApiProperty({ type: SlaTallySchema, description: "under the version's response terms" })
  hypothetical!: SlaTallySchema;

  @ApiProperty({ type: [SlaWhatIfChangeSchema], description: 'by handoff id' })
  changed!: SlaWhatIfChangeSchema[];
}

@ApiSchema({ name: 'MqlTally' })
export class MqlTallySchema {
  @ApiProperty({ description: 'leads captured in the window', example: 120 })
  leads!: number;

  @ApiProperty({ example: 48 })
  mqls!: number;
}

@ApiSchema({ name: 'QualificationWhatIfChange' })
export class QualificationWhatIfChangeSchema {
  @ApiProperty({ example: '01943a4e-3c00-7000-8000-00000000001e' })
  leadId!: string;

  @ApiProperty({ description: 'became an MQL', example: false })
  actual!: boolean;

  @ApiProperty({ description: 'would have become an MQL under the version', example: true })
  hypothetical!: boolean;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'the highest score the version gives the lead (null: no scoring facts)',
    example: 65,
  })
  hypotheticalMaxScore!: number | null;
}

@ApiSchema({ name: 'QualificationWhatIf' })
export class QualificationWhatIfSchema {
  @ApiProperty({ description: 'the agreement version judged under', example: 3 })
  version!: number;

  @ApiProperty({ type: AsOfSchema })
  asOf!: AsOfSchema;

  @ApiProperty({ type: MqlTallySchema })
  actual!: MqlTallySchema;

  @ApiProperty({ type: MqlTallySchema, description: "under the version's rules and threshold" })
  hypothetical!: MqlTallySchema;

  @ApiProperty({ type: [QualificationWhatIfChangeSchema], description: 'by lead id' })
  changed!: QualificationWhatIfChangeSchema[];
}
