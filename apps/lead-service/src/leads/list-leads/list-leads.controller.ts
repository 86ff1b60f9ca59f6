import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { type LeadStage } from '@lead/domain';
import { listLeads } from '@lead/read-models';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { roles } from '@lead/runtime';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { consistentWithProperty } from '../../openapi/query-parameters';
import { LeadPageSchema, personalFieldsNote } from '../../openapi/lead.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { IsIdentifier, identifierPattern, leadStages } from '../shared/lead-request-fields';
import { PersonalDataAccessPolicy } from '../shared/personal-data-access';
import { CurrentActor } from '../../auth/api-key.guard';
import type { Actor } from '@lead/event-store';

export class ListLeadsRequest {
  @ApiPropertyOptional({ enum: leadStages })
  @IsOptional()
  @IsIn(leadStages, { message: `stage must be one of ${leadStages.join(', ')}` })
  stage?: LeadStage;

  @ApiPropertyOptional({
    pattern: identifierPattern,
    description: 'the sales rep',
    example: 'rep-ana',
  })
  @IsOptional()
  @IsIdentifier()
  owner?: string;

  @ApiPropertyOptional({
    pattern: identifierPattern,
    description: 'leads any of whose touches came from this campaign',
    example: 'spring-webinar',
  })
  @IsOptional()
  @IsIdentifier()
  campaignId?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;

  @ApiPropertyOptional(consistentWithProperty)
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'consistentWith must be a position (a decimal number)' })
  consistentWith?: string;
}

// Opaque to clients, so the paging key can change without breaking them.
const encodeCursor = (leadId: string): string =>
  Buffer.from(JSON.stringify({ after: leadId })).toString('base64url');
const decodeCursor = (cursor: string): string => {
  try {
    const { after } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      after?: unknown;
    };
    if (typeof after === 'string') return after;
  } catch {
    // fall through to the problem response
  }
  throw new BadRequestException({
    code: 'validation_failed',
    detail: 'cursor is not one this API returned',
    errors: [{ field: 'cursor', message: 'invalid cursor' }],
  });
};

@ApiTags('leads')
@Controller('leads')
export class ListLeadsController {
  constructor(
    private readonly source: AnalyticsSource,
    private readonly personalData: PersonalDataAccessPolicy,
  ) {}

  @Get()
  @Authorized(...roles)
  @ApiOperation({
    summary: 'List leads',
    description: `Filtered by stage, owner or campaign; ordered by lead id and paged with an opaque cursor. ${personalFieldsNote}`,
  })
  @ApiOkResponse({ type: LeadPageSchema })
  @ApiProblems(400, 503)
  async list(@Query() query: ListLeadsRequest, @CurrentActor() actor: Actor) {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const { store } = await this.source.view(query, 'leads');
    const page = await listLeads(
      store,
      { ...query, limit: query.limit ?? 50, after },
      this.personalData.accessFor(actor),
    );
    return { items: page.items, nextCursor: page.nextAfter && encodeCursor(page.nextAfter) };
  }
}
