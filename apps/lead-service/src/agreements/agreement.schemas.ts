import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { AgreementVersion } from '@lead/domain';

// Response shapes for the OpenAPI document only; the handlers return plain objects of these shapes.

const statuses = ['proposed', 'approved', 'withdrawn'];

@ApiSchema({ name: 'AgreementSignature' })
export class AgreementSignatureSchema {
  @ApiProperty({ enum: ['marketing', 'sales'] })
  team!: 'marketing' | 'sales';

  @ApiProperty({ type: String, nullable: true, example: 'marketing-manager-1' })
  actor!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:30:00.000Z' })
  at!: string;
}

@ApiSchema({ name: 'AgreementWithdrawal' })
export class AgreementWithdrawalSchema {
  @ApiProperty({ example: 'superseded by version 3' })
  reason!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:30:00.000Z' })
  at!: string;
}

@ApiSchema({ name: 'Agreement' })
export class AgreementSchema {
  @ApiProperty({ example: 2 })
  version!: number;

  @ApiProperty({ enum: statuses, description: 'approved once both teams signed' })
  status!: AgreementVersion['status'];

  @ApiProperty({ format: 'date-time', example: '2026-04-01T00:00:00.000Z' })
  effectiveFrom!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'qualification, scoring, salesResponse, salesFollowUp?, marketing, remedy?, pilot? (DESIGN §10)',
  })
  terms!: AgreementVersion['terms'];

  @ApiPropertyOptional({ example: 'tighter MQL threshold' })
  note?: string;

  @ApiProperty({ type: String, nullable: true, example: 'marketing-manager-1' })
  proposer!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:30:00.000Z' })
  proposedAt!: string;

  @ApiProperty({ type: [AgreementSignatureSchema] })
  signatures!: AgreementSignatureSchema[];

  @ApiPropertyOptional({ type: AgreementWithdrawalSchema })
  withdrawal?: AgreementWithdrawalSchema;

  @ApiProperty({ description: 'whether this version is in force now' })
  inForce!: boolean;
}

@ApiSchema({ name: 'AgreementList' })
export class AgreementListSchema {
  @ApiProperty({ type: [AgreementSchema] })
  items!: AgreementSchema[];

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'the version in force now',
    example: 1,
  })
  inForce!: number | null;
}

@ApiSchema({ name: 'AgreementProposal' })
export class AgreementProposalSchema {
  @ApiProperty({ example: 2 })
  version!: number;

  @ApiProperty({ enum: ['proposed'] })
  status!: 'proposed';
}

@ApiSchema({ name: 'AgreementSignatures' })
export class AgreementSignaturesSchema {
  @ApiProperty({ example: 2 })
  version!: number;

  @ApiProperty({ enum: statuses })
  status!: AgreementVersion['status'];

  @ApiProperty({ type: [AgreementSignatureSchema] })
  signatures!: AgreementSignatureSchema[];
}

export const agreementView = (
  {
    version,
    status,
    effectiveFrom,
    terms,
    note,
    proposer,
    proposedAt,
    signatures,
    withdrawal,
  }: AgreementVersion,
  inForce: AgreementVersion | null,
): AgreementSchema => ({
  version,
  status,
  effectiveFrom,
  terms,
  ...(note === undefined ? {} : { note }),
  proposer,
  proposedAt,
  signatures,
  ...(withdrawal ? { withdrawal } : {}),
  inForce: inForce?.version === version,
});

export const signaturesView = ({
  version,
  status,
  signatures,
}: AgreementVersion): AgreementSignaturesSchema => ({
  version,
  status,
  signatures,
});
