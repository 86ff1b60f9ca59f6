import type { BusinessTimeRange } from '@lead/read-models';
import { CliError } from './cli-context';

const isoTime = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export const parseTime = (text: string, option: string): string => {
  const time = Date.parse(text);
  if (!isoTime.test(text) || Number.isNaN(time)) {
    throw new CliError(`${option} must be an ISO-8601 date or time with a zone, got "${text}"`);
  }
  return new Date(time).toISOString();
};

/** --from (inclusive) and --to (exclusive) on business time, as the API's from/to. */
export const businessRange = ({ from, to }: { from?: string; to?: string }): BusinessTimeRange => {
  const range = {
    from: from === undefined ? undefined : parseTime(from, '--from'),
    to: to === undefined ? undefined : parseTime(to, '--to'),
  };
  if (range.from && range.to && range.from > range.to) {
    throw new CliError('--from must not be after --to');
  }
  return range;
};
