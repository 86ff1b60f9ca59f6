import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';

@Injectable()
export class LeadIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUUID(value, 'all')) {
      throw new BadRequestException({
        code: 'validation_failed',
        detail: 'the lead id in the path must be a UUID',
        errors: [{ field: 'id', message: 'id must be a UUID' }],
      });
    }
    return value.toLowerCase();
  }
}
