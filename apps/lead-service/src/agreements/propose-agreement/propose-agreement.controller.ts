import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandMeta, type CommandContext } from '../../leads/shared/command-context';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiCommandHeaders } from '../../openapi/api-lead-command.decorator';
import {
  ApiProblem,
  ApiProblems,
  storageUnavailableDoc,
} from '../../openapi/api-problems.decorator';
import { AgreementProposalSchema } from '../agreement.schemas';
import { ProposeAgreementCommand } from './propose-agreement.command';
import { ProposeAgreementRequest } from './propose-agreement.request';

@ApiTags('agreement')
@Controller('agreements')
export class ProposeAgreementController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Authorized('marketing_manager', 'sales_manager')
  @ApiOperation({
    summary: 'Propose a new agreement version',
    description:
      'Appends AgreementProposed with the next version number. It takes effect at effectiveFrom once both teams signed.',
  })
  @ApiCreatedResponse({ type: AgreementProposalSchema })
  @ApiProblem(
    400,
    'Invalid terms (agreement_terms_invalid, with errors[]), an invalid body (validation_failed) or an effectiveFrom before now (agreement_retroactive).',
  )
  @ApiProblems(413, 415)
  @ApiProblem(409, 'If-Match is stale (revision_conflict).')
  @ApiProblem(503, undefined, storageUnavailableDoc)
  @ApiCommandHeaders()
  propose(
    @Body() body: ProposeAgreementRequest,
    @CommandMeta() context: CommandContext,
  ): Promise<AgreementProposalSchema> {
    return this.commandBus.execute(new ProposeAgreementCommand(body, context));
  }
}
