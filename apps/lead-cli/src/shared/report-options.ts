import type { OutputFormat } from './output-format';

/** What every report command takes besides its own options. */
export type ReportOptions = {
  asOf?: string;
  from?: string;
  to?: string;
  format: OutputFormat;
  quiet: boolean;
};

export const describeAsOf = ({
  position,
  recordedAt,
}: {
  position: string;
  recordedAt: string | null;
}): string =>
  recordedAt === null
    ? `as of position ${position} (empty log)`
    : `as of position ${position} (recorded ${recordedAt})`;
