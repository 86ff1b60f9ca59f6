import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'FieldError' })
export class FieldErrorSchema {
  @ApiProperty({
    description: 'the offending field, dotted for nested ones',
    example: 'source.channel',
  })
  field!: string;

  @ApiProperty({ example: 'channel must be a lower-case identifier such as paid_search' })
  message!: string;
}

@ApiSchema({
  name: 'Problem',
  description: 'RFC 9457 problem details (media type application/problem+json)',
})
export class ProblemSchema {
  @ApiProperty({ example: 'urn:lead-lifecycle:problem:validation_failed' })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'source.channel: channel must be a lower-case identifier' })
  detail!: string;

  @ApiProperty({
    description: 'stable machine-readable error code; branch on this, never on detail',
    example: 'validation_failed',
  })
  code!: string;

  @ApiPropertyOptional({
    type: [FieldErrorSchema],
    description:
      'one entry per invalid field (validation_failed, invalid_header), at most 20; field names and messages are cut at 200 characters',
  })
  errors?: FieldErrorSchema[];

  @ApiPropertyOptional({
    description: 'how many more invalid fields there were than `errors` lists',
    example: 3,
  })
  errorsOmitted?: number;
}
