import { Injectable, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import { ApplicationError } from '../../http/application-error';

/** A handoff is named by its LeadHandedOff event id, a UUID. */
@Injectable()
export class HandoffIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUUID(value, 'all')) {
      throw new ApplicationError('validation_failed', 'the handoff id in the path must be a UUID', [
        { field: 'handoffId', message: 'handoffId must be a UUID' },
      ]);
    }
    return value.toLowerCase();
  }
}

export const ApiHandoffIdParam = () =>
  ApiParam({
    name: 'handoffId',
    description: 'the handoff (its LeadHandedOff event id, as in GET /sla/handoffs)',
    format: 'uuid',
  });
