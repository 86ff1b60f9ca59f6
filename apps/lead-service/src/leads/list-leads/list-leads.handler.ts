import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { listLeads } from '@lead/read-models';
import { ApplicationError } from '../../http/application-error';
import type { LeadPageSchema } from '../../openapi/lead.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { PersonalDataAccessPolicy } from '../shared/personal-data-access';
import { ListLeadsQuery } from './list-leads.query';

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
  throw new ApplicationError('validation_failed', 'cursor is not one this API returned', [
    { field: 'cursor', message: 'invalid cursor' },
  ]);
};

@QueryHandler(ListLeadsQuery)
export class ListLeadsHandler implements IQueryHandler<ListLeadsQuery> {
  constructor(
    private readonly source: AnalyticsSource,
    private readonly personalData: PersonalDataAccessPolicy,
  ) {}

  async execute({ request, actor }: ListLeadsQuery): Promise<LeadPageSchema> {
    const after = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
    const { store } = await this.source.view(request);
    const page = await listLeads(
      store,
      { ...request, limit: request.limit ?? 50, after },
      this.personalData.accessFor(actor),
    );
    return { items: page.items, nextCursor: page.nextAfter && encodeCursor(page.nextAfter) };
  }
}
