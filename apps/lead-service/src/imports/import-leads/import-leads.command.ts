import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../leads/shared/command-context';
import type { ImportAnswer } from './import-leads.handler';

export class ImportLeadsCommand extends Command<ImportAnswer> {
  constructor(
    /** the NDJSON body, as it arrives */
    readonly body: AsyncIterable<Buffer | string>,
    readonly context: Pick<CommandContext, 'actor' | 'correlationId'>,
  ) {
    super();
  }
}
