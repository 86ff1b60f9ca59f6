import { Presets, SingleBar } from 'cli-progress';
import type { CliContext } from './cli-context';

export type Progress = {
  start(total: number): void;
  update(value: number): void;
  increment(): void;
  stop(): void;
};

const silent: Progress = { start() {}, update() {}, increment() {}, stop() {} };

// Bars go to stderr, and only to a terminal: piped or redirected output stays clean data.
export const progressBar = (
  context: CliContext,
  { label, unit, quiet }: { label: string; unit: string; quiet: boolean },
): Progress => {
  if (quiet || !context.stderr.isTTY) return silent;
  const bar = new SingleBar(
    {
      stream: context.stderr,
      format: `${label} |{bar}| {percentage}% | {value}/{total} ${unit} | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 100,
    },
    Presets.shades_classic,
  );
  let running = false;
  return {
    start: (total) => {
      running = true;
      bar.start(total, 0);
    },
    update: (value) => bar.update(value),
    increment: () => bar.increment(),
    stop: () => {
      if (running) bar.stop();
      running = false;
    },
  };
};
