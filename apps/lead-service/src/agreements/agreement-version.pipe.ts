import { Injectable, type PipeTransform } from '@nestjs/common';
import { ApplicationError } from '../http/application-error';

@Injectable()
export class AgreementVersionPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9]\d{0,8}$/.test(value)) {
      throw new ApplicationError(
        'validation_failed',
        'the agreement version must be a positive integer',
        [{ field: 'version', message: 'version must be a positive integer' }],
      );
    }
    return Number(value);
  }
}
