import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { type LeadStage } from '@lead/domain';
import { listLeads } from '@lead/read-models';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Roles } from '../../auth/api-key.guard';
import { roles } from '@lead/runtime';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { IsIdentifier } from '../shared/lead-request-fields';

const stages: LeadStage[] = [
  'captured',
  'mql',
  'nurturing',
  'handed_off',
  'accepted',
  'converted',
  'lost',
];

export class ListLeadsRequest {
  @IsOptional()
  @IsIn(stages, { message: `stage must be one of ${stages.join(', ')}` })
  stage?: LeadStage;

  @IsOptional()
  @IsIdentifier()
  owner?: string;

  @IsOptional()
  @IsIdentifier()
  campaignId?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @IsString()
  cursor?: string;

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

@Controller('leads')
export class ListLeadsController {
  constructor(private readonly source: AnalyticsSource) {}

  @Get()
  @Roles(...roles)
  async list(@Query() query: ListLeadsRequest) {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const { store } = await this.source.view(query);
    const page = await listLeads(store, { ...query, limit: query.limit ?? 50, after });
    return { items: page.items, nextCursor: page.nextAfter && encodeCursor(page.nextAfter) };
  }
}
