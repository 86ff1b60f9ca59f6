import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../leads/shared/command-context';

export type ImportError = { line: number; code: string; detail: string };

export type ImportAnswer = {
  lines: number;
  appended: number;
  alreadyPresent: number;
  refused: number;
  errors: ImportError[];
  /** refused lines beyond the ones listed */
  errorsOmitted?: number;
};

export class ImportLeadsCommand extends Command<ImportAnswer> {
  constructor(
    /** the NDJSON body, as it arrives */
    readonly body: AsyncIterable<Buffer | string>,
    readonly context: Pick<CommandContext, 'actor' | 'correlationId'>,
  ) {
    super();
  }
}
