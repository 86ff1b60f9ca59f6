import { ApplicationError } from '../../http/application-error';

export type NdjsonLine = { number: number; text: string } | { number: number; tooLong: true };

const newline = 0x0a;

/**
 * The lines of a streamed body, numbered from 1, holding at most one line in memory: a line over
 * `maxLineBytes` is skipped (reported, not buffered) and a body over `maxBytes` stops with a 413.
 * Blank lines are skipped but still counted, so numbers match the file.
 */
export async function* ndjsonLines(
  body: AsyncIterable<Buffer | string>,
  { maxBytes, maxLineBytes }: { maxBytes: number; maxLineBytes: number },
): AsyncGenerator<NdjsonLine> {
  let total = 0;
  let number = 1;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  const take = (part: Buffer): void => {
    if (tooLong || part.length === 0) return;
    if (pendingBytes + part.length > maxLineBytes) {
      tooLong = true;
      pending = [];
      pendingBytes = 0;
      return;
    }
    pending.push(part);
    pendingBytes += part.length;
  };
  const finish = (): NdjsonLine | null => {
    const line: NdjsonLine | null = tooLong
      ? { number, tooLong: true }
      : pendingBytes > 0
        ? { number, text: Buffer.concat(pending, pendingBytes).toString('utf8').trim() }
        : null;
    number++;
    pending = [];
    pendingBytes = 0;
    tooLong = false;
    return line && ('tooLong' in line || line.text !== '') ? line : null;
  };
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += buffer.length;
    if (total > maxBytes) {
      throw new ApplicationError(
        'body_too_large',
        `an import is at most ${maxBytes} bytes; the lines before byte ${maxBytes} were applied (re-sending them appends nothing)`,
      );
    }
    let start = 0;
    for (let end = buffer.indexOf(newline); end !== -1; end = buffer.indexOf(newline, start)) {
      take(buffer.subarray(start, end));
      const line = finish();
      if (line) yield line;
      start = end + 1;
    }
    take(buffer.subarray(start));
  }
  const last = finish();
  if (last) yield last;
}
