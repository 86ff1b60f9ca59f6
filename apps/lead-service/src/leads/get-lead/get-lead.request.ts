import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { consistentWithProperty } from '../../openapi/query-parameters';

export class GetLeadRequest {
  @ApiPropertyOptional(consistentWithProperty)
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'consistentWith must be a position (a decimal number)' })
  consistentWith?: string;
}
