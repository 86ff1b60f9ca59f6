import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { ImportAnswer, ImportError } from './import-leads.command';

@ApiSchema({ name: 'ImportError' })
export class ImportErrorSchema implements ImportError {
  @ApiProperty({ description: 'line number in the file, from 1', example: 7 })
  line!: number;

  @ApiProperty({
    description:
      'problem code: malformed_line, line_too_long, unknown_command, validation_failed, or the code the HTTP command would answer (invalid_transition, lead_not_found, …)',
    example: 'invalid_transition',
  })
  code!: string;

  @ApiProperty({ example: 'cannot accept a lead in stage captured (allowed in: handed_off)' })
  detail!: string;
}

@ApiSchema({ name: 'ImportAnswer' })
export class ImportAnswerSchema implements ImportAnswer {
  @ApiProperty({ description: 'lines read (blank lines not counted)', example: 5 })
  lines!: number;

  @ApiProperty({ description: 'lines whose events were appended now', example: 3 })
  appended!: number;

  @ApiProperty({
    description: 'lines whose events were already stored (same idempotencyKey)',
    example: 1,
  })
  alreadyPresent!: number;

  @ApiProperty({ description: 'lines refused, each listed in errors (up to 1000)', example: 1 })
  refused!: number;

  @ApiProperty({ type: [ImportErrorSchema] })
  errors!: ImportErrorSchema[];

  @ApiPropertyOptional({ description: 'refused lines beyond the ones listed', example: 0 })
  errorsOmitted?: number;
}
