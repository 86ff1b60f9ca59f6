import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { AgreementTeam } from '@lead/domain';

export class SignAgreementRequest {
  @ApiPropertyOptional({
    enum: ['marketing', 'sales'],
    description: 'the team signing; required for admin, else it is the manager’s own team',
  })
  @IsOptional()
  @IsIn(['marketing', 'sales'])
  team?: AgreementTeam;
}
