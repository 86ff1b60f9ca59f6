import { Injectable, type PipeTransform } from '@nestjs/common';
import { canonicalLeadId } from '@lead/domain';
import { ApplicationError } from '../../http/application-error';

@Injectable()
export class LeadIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const leadId = canonicalLeadId(value);
    if (leadId === null) {
      throw new ApplicationError('validation_failed', 'the lead id in the path must be a UUID', [
        { field: 'id', message: 'id must be a UUID' },
      ]);
    }
    return leadId;
  }
}
