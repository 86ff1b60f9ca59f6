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
import { SignAgreementCommand } from './sign-agreement.command';
import { SignAgreementRequest } from './sign-agreement.request';

@ApiTags('agreement')
@Controller('agreements')
export class SignAgreementController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':version/sign')
  @HttpCode(200)
  @Authorized('marketing_manager', 'sales_manager')
  @ApiOperation({
    summary: 'Sign an agreement version for a team',
    description:
      'Appends AgreementSigned; the version is approved once both teams signed. Signing again for the same team changes nothing (200).',
  })
  @ApiParam({ name: 'version', example: 2 })
  @ApiOkResponse({ type: AgreementSignaturesSchema })
  @ApiProblems(400, 404, 413, 415)
  @ApiProblem(503, undefined, storageUnavailableDoc)
  @ApiCommandHeaders()
  @ApiProblem(
    409,
    'The version was withdrawn (agreement_withdrawn), its effectiveFrom passed before approval (agreement_effective_from_passed), or If-Match is stale (revision_conflict).',
  )
  sign(
    @Param('version', AgreementVersionPipe) version: number,
    @Body() body: SignAgreementRequest,
    @CommandMeta() context: CommandContext,
  ): Promise<AgreementSignaturesSchema> {
    return this.commandBus.execute(new SignAgreementCommand(version, body, context));
  }
}
