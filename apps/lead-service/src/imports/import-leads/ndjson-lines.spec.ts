import { Readable } from 'node:stream';
import { ApplicationError } from '../../http/application-error';
import { type NdjsonLine, ndjsonLines } from './ndjson-lines';

// a request body arriving in these chunks
const chunks = (...parts: string[]): AsyncIterable<Buffer> =>
  Readable.from(parts.map((part) => Buffer.from(part)));

const collect = async (
  body: AsyncIterable<Buffer>,
  limits = { maxBytes: 1000, maxLineBytes: 20 },
): Promise<NdjsonLine[]> => {
  const lines: NdjsonLine[] = [];
  for await (const line of ndjsonLines(body, limits)) lines.push(line);
  return lines;
};

describe('ndjsonLines', () => {
  it('given lines split anywhere across chunks, when read, then yields whole numbered lines', async () => {
    expect(await collect(chunks('{"a"', ':1}\n{"b":2', '}\r\n', '{"c":3}'))).toEqual([
      { number: 1, text: '{"a":1}' },
      { number: 2, text: '{"b":2}' },
      { number: 3, text: '{"c":3}' },
    ]);
  });

  it('given blank lines, when read, then skips them but keeps counting', async () => {
    expect(await collect(chunks('{}\n\n  \n{}\n'))).toEqual([
      { number: 1, text: '{}' },
      { number: 4, text: '{}' },
    ]);
  });

  it('given a line over the line limit, when read, then reports it without holding it and goes on', async () => {
    expect(await collect(chunks('x'.repeat(15), 'x'.repeat(15), '\n{}'))).toEqual([
      { number: 1, tooLong: true },
      { number: 2, text: '{}' },
    ]);
  });

  it('given a body over the maximum, when read, then stops with body_too_large after the lines before it', async () => {
    const lines: NdjsonLine[] = [];
    const reading = (async () => {
      for await (const line of ndjsonLines(chunks('{}\n', 'x'.repeat(50)), {
        maxBytes: 10,
        maxLineBytes: 100,
      }))
        lines.push(line);
    })();
    await expect(reading).rejects.toMatchObject({ code: 'body_too_large' });
    await expect(reading).rejects.toBeInstanceOf(ApplicationError);
    expect(lines).toEqual([{ number: 1, text: '{}' }]);
  });
});
