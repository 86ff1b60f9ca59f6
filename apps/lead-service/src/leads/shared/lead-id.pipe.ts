import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { canonicalLeadId } from '@lead/domain';

@Injectable()
export class LeadIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const leadId = canonicalLeadId(value);
    if (leadId === null) {
      throw new BadRequestException({
        code: 'validation_failed',
        detail: 'the lead id in the path must be a UUID',
        errors: [{ field: 'id', message: 'id must be a UUID' }],
      });
    }
    return leadId;
  }
}
