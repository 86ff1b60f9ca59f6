import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { roles } from '@lead/runtime';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { AgreementVersionPipe } from '../agreement-version.pipe';
import { AgreementListSchema, AgreementSchema } from '../agreement.schemas';
import { GetAgreementsQuery } from './get-agreements.query';
import { GetAgreementInForceRequest } from './get-agreements.request';

@ApiTags('agreement')
@Controller('agreements')
export class GetAgreementsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @Authorized(...roles)
  @ApiOperation({ summary: 'Every agreement version, with its status and the one in force now' })
  @ApiOkResponse({ type: AgreementListSchema })
  @ApiProblems(400)
  list(): Promise<AgreementListSchema> {
    return this.queryBus.execute(new GetAgreementsQuery({ kind: 'all' }));
  }

  // Declared before :version so that "in-force" is never read as a version.
  @Get('in-force')
  @Authorized(...roles)
  @ApiOperation({ summary: 'The agreement version in force at a business time (default now)' })
  @ApiOkResponse({ type: AgreementSchema })
  @ApiProblems(400, 404)
  inForce(@Query() query: GetAgreementInForceRequest): Promise<AgreementSchema> {
    return this.queryBus.execute(new GetAgreementsQuery({ kind: 'in-force', at: query.at }));
  }

  @Get(':version')
  @Authorized(...roles)
  @ApiOperation({ summary: 'One agreement version' })
  @ApiParam({ name: 'version', example: 1 })
  @ApiOkResponse({ type: AgreementSchema })
  @ApiProblems(400, 404)
  one(@Param('version', AgreementVersionPipe) version: number): Promise<AgreementSchema> {
    return this.queryBus.execute(new GetAgreementsQuery({ kind: 'version', version }));
  }
}
