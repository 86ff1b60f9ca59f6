import { createReadStream, statSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { CliError, type CliContext, writeLine } from '../shared/cli-context';
import { printJson } from '../shared/output-format';
import { progressBar } from '../shared/progress';

export type ImportOptions = {
  url: string;
  token: string;
  format: 'text' | 'json';
  quiet: boolean;
};

export type ImportAnswer = {
  lines: number;
  appended: number;
  alreadyPresent: number;
  refused: number;
  errors: { line: number; code: string; detail: string }[];
  errorsOmitted?: number;
};

const fileSize = (file: string): number => {
  try {
    return statSync(file).size;
  } catch (error) {
    throw new CliError(
      `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
};

/**
 * Streams an NDJSON file to POST /imports (never read whole) with a progress bar of the bytes
 * sent, then prints the answer. Exit code 1 when any line was refused, so scripts notice.
 */
export const importCommand = async (
  file: string,
  options: ImportOptions,
  context: CliContext,
): Promise<number> => {
  const size = fileSize(file);
  const progress = progressBar(context, { label: 'import', unit: 'bytes', quiet: options.quiet });
  progress.start(size);
  let sent = 0;
  const counted = createReadStream(file).pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        sent += chunk.length;
        progress.update(sent);
        done(null, chunk);
      },
    }),
  );
  let response: Response;
  try {
    response = await fetch(`${options.url}/imports`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.token}`,
        'content-type': 'application/x-ndjson',
        'content-length': String(size),
      },
      body: Readable.toWeb(counted),
      duplex: 'half',
    });
  } catch (error) {
    const cause =
      error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new CliError(
      `cannot reach the service at ${options.url} (${error instanceof Error ? error.message : String(error)}${cause}); start it with \`npm start\` or pass --url`,
    );
  } finally {
    progress.stop();
  }
  if (!response.ok) {
    const problem = (await response.json().catch(() => null)) as {
      code?: string;
      detail?: string;
    } | null;
    throw new CliError(
      `the import was refused: HTTP ${response.status}${problem?.code ? ` ${problem.code}` : ''}${problem?.detail ? `: ${problem.detail}` : ''}`,
    );
  }
  const answer = (await response.json()) as ImportAnswer;
  if (options.format === 'json') printJson(context, answer);
  else printText(context, answer);
  return answer.refused > 0 ? 1 : 0;
};

const printText = ({ stdout }: CliContext, answer: ImportAnswer): void => {
  writeLine(
    stdout,
    `${answer.lines} lines: ${answer.appended} appended, ${answer.alreadyPresent} already present, ${answer.refused} refused`,
  );
  for (const error of answer.errors)
    writeLine(stdout, `line ${error.line}: ${error.code}: ${error.detail}`);
  if (answer.errorsOmitted) writeLine(stdout, `… and ${answer.errorsOmitted} more refused lines`);
};
