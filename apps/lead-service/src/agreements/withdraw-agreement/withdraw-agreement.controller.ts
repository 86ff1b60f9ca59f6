import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CommandMeta, type CommandContext } from '../../leads/shared/command-context';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiCommandHeaders } from '../../openapi/api-lead-command.decorator';
import {
  ApiProblem,
  ApiProblems,
  storageUnavailableDoc,
} from '../../openapi/api-problems.decorator';
import { AgreementVersionPipe } from '../agreement-version.pipe';
import { AgreementSignaturesSchema } from '../agreement.schemas';
import { WithdrawAgreementCommand } from './withdraw-agreement.command';
import { WithdrawAgreementRequest } from './withdraw-agreement.request';

@ApiTags('agreement')
@Controller('agreements')
export class WithdrawAgreementController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':version/withdraw')
  @HttpCode(200)
  @Authorized('marketing_manager', 'sales_manager')
  @ApiOperation({
    summary: 'Withdraw a proposed agreement version',
    description:
      'Appends AgreementWithdrawn; a withdrawn version can no longer be signed. Withdrawing it again changes nothing.',
  })
  @ApiParam({ name: 'version', example: 2 })
  @ApiOkResponse({ type: AgreementSignaturesSchema })
  @ApiProblems(400, 404, 413, 415)
  @ApiProblem(503, undefined, storageUnavailableDoc)
  @ApiCommandHeaders()
  @ApiProblem(
    409,
    'The version is approved: propose a new one instead (agreement_approved); or If-Match is stale (revision_conflict).',
  )
  withdraw(
    @Param('version', AgreementVersionPipe) version: number,
    @Body() body: WithdrawAgreementRequest,
    @CommandMeta() context: CommandContext,
  ): Promise<AgreementSignaturesSchema> {
    return this.commandBus.execute(new WithdrawAgreementCommand(version, body, context));
  }
}
