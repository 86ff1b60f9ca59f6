import { ApiProperty } from '@nestjs/swagger';
import { IsText } from '../../leads/shared/lead-request-fields';

export class WithdrawAgreementRequest {
  @ApiProperty({ minLength: 1, maxLength: 500, example: 'superseded by version 3' })
  @IsText(500)
  reason!: string;
}
