import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@lead/domain';
import { RevisionConflict } from '@lead/event-store';
import { AppSettings } from '../../config/app-settings';
import { type LeadCommandResponse, wasReplayed } from '../../leads/shared/lead-command-runner';
import { bodyLimitBytes } from '../../http/body-limit';
import { ImportLineError, type ParsedLine, parseImportLine } from './import-line';
import { type ImportAnswer, type ImportError, ImportLeadsCommand } from './import-leads.command';
import { ndjsonLines } from './ndjson-lines';

/** leads with commands in flight at once: enough for group commit to batch their appends */
export const importConcurrency = 64;
// Lines waiting behind an earlier line of their lead count too, so memory stays bounded when a
// file lists one lead's lines together.
const maxPendingLines = 8 * importConcurrency;
/** refused lines listed in the answer (the first ones, by line number) */
export const maxListedImportErrors = 1000;

// Refused lines are kept sorted and capped as they come (they finish out of order).
class ImportErrors {
  private listed: ImportError[] = [];
  private omitted = 0;

  add(error: ImportError): void {
    this.listed.push(error);
    if (this.listed.length >= 2 * maxListedImportErrors) this.trim();
  }

  answer(): Pick<ImportAnswer, 'errors' | 'errorsOmitted'> {
    this.trim();
    return { errors: this.listed, ...(this.omitted > 0 ? { errorsOmitted: this.omitted } : {}) };
  }

  private trim(): void {
    this.listed.sort((a, b) => a.line - b.line);
    this.omitted += Math.max(0, this.listed.length - maxListedImportErrors);
    this.listed = this.listed.slice(0, maxListedImportErrors);
  }
}

// A refusal the client can act on becomes the line's error; anything else (storage) stops the import.
const lineError = (line: number, error: unknown): ImportError | null => {
  if (
    error instanceof ImportLineError ||
    error instanceof DomainError ||
    error instanceof RevisionConflict
  )
    return {
      line,
      code: error.code,
      detail: error instanceof ImportLineError ? error.detail : error.message,
    };
  return null;
};

/**
 * Every line through the HTTP command it names, on the command bus. Lines of one lead apply in
 * file order; different leads run concurrently, at most `importConcurrency` leads at a time.
 */
@CommandHandler(ImportLeadsCommand)
export class ImportLeadsHandler implements ICommandHandler<ImportLeadsCommand> {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly settings: AppSettings,
  ) {}

  async execute({ body, context }: ImportLeadsCommand): Promise<ImportAnswer> {
    const counts = { lines: 0, appended: 0, alreadyPresent: 0, refused: 0 };
    const errors = new ImportErrors();
    const refuse = (error: ImportError) => {
      counts.refused++;
      errors.add(error);
    };
    const tails = new Map<string, Promise<void>>();
    const inFlight = new Set<Promise<void>>();
    // the first failure that is not the line's fault (storage): it stops the import
    const stopped: { error?: unknown; failed: boolean } = { failed: false };

    const apply = async (number: number, { command }: ParsedLine): Promise<void> => {
      if (stopped.failed) return;
      try {
        const response: LeadCommandResponse = await this.commandBus.execute(command);
        if (wasReplayed(response)) counts.alreadyPresent++;
        else counts.appended++;
      } catch (error) {
        const refused = lineError(number, error);
        if (refused) refuse(refused);
        else if (!stopped.failed) Object.assign(stopped, { failed: true, error });
      }
    };

    const settle = () => Promise.all([...inFlight]);
    try {
      for await (const line of ndjsonLines(body, {
        maxBytes: this.settings.config.importMaxBytes,
        maxLineBytes: bodyLimitBytes,
      })) {
        if (stopped.failed) break;
        counts.lines++;
        if ('tooLong' in line) {
          refuse({
            line: line.number,
            code: 'line_too_long',
            detail: `a line is at most ${bodyLimitBytes} bytes`,
          });
          continue;
        }
        let parsed: ParsedLine;
        try {
          parsed = await parseImportLine(line.text, context);
        } catch (error) {
          const refused = lineError(line.number, error);
          if (!refused) throw error;
          refuse(refused);
          continue;
        }
        while (
          (tails.size >= importConcurrency && !tails.has(parsed.leadId)) ||
          inFlight.size >= maxPendingLines
        )
          await Promise.race(inFlight);
        const previous = tails.get(parsed.leadId) ?? Promise.resolve();
        const next = previous.then(() => apply(line.number, parsed));
        tails.set(parsed.leadId, next);
        inFlight.add(next);
        void next.finally(() => {
          inFlight.delete(next);
          if (tails.get(parsed.leadId) === next) tails.delete(parsed.leadId);
        });
      }
    } finally {
      // whatever stops the import (a 413, a storage failure), the lines already sent finish first
      await settle();
    }
    if (stopped.failed) throw stopped.error;
    return { ...counts, ...errors.answer() };
  }
}
