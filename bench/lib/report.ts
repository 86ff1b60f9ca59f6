import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, freemem, release, totalmem } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { compact, median } from './stats';

/** One measured figure: every run's value (in `unit`) and their median. */
export type Measure = { runs: number[]; unit: string };

export const measure = (runs: number[], unit: string): Measure => ({ runs, unit });

/**
 * One line of the report: our figure against one baseline measured in the same run. `ratio` is
 * ours / baseline for throughputs (higher is better). A scenario with an absolute target and no
 * baseline leaves `baseline` null.
 */
export type Comparison = {
  section: string;
  scenario: string;
  ours: Measure;
  baseline: { label: string; value: Measure } | null;
  /** e.g. '≥ 0.8×', '< 5 s' */
  target: string | null;
  /** null when there is no target, or the figure could not be taken */
  met: boolean | null;
  note?: string;
};

export const ratioOf = (comparison: Comparison): number | null => {
  if (!comparison.baseline) return null;
  const base = median(comparison.baseline.value.runs);
  const ours = median(comparison.ours.runs);
  return base > 0 && Number.isFinite(ours) ? ours / base : null;
};

const formatMeasure = ({ runs, unit }: Measure): string => {
  const value = median(runs);
  if (!Number.isFinite(value)) return 'n/a';
  return `${compact(value)} ${unit}`;
};

const formatRuns = ({ runs }: Measure): string => runs.map(compact).join(' / ');

const verdict = (met: boolean | null): string => (met === null ? '' : met ? 'yes' : 'NO');

type Cells = string[];

const rowsOf = (comparisons: readonly Comparison[]): Cells[] =>
  comparisons.map((comparison) => {
    const ratio = ratioOf(comparison);
    return [
      comparison.scenario,
      formatMeasure(comparison.ours),
      comparison.baseline ? `${comparison.baseline.label}: ${formatMeasure(comparison.baseline.value)}` : '-',
      ratio === null ? '-' : `${ratio.toFixed(2)}×`,
      comparison.target ?? '-',
      verdict(comparison.met),
    ];
  });

const header = ['scenario', 'ours (median)', 'baseline (median, same run)', 'ratio', 'target', 'met'];

export const printTable = (comparisons: readonly Comparison[], write: (line: string) => void): void => {
  const rows = [header, ...rowsOf(comparisons)];
  const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: Cells) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ');
  let section = '';
  write(line(header));
  comparisons.forEach((comparison, index) => {
    if (comparison.section !== section) {
      section = comparison.section;
      write(`-- ${section}`);
    }
    write(line(rows[index + 1]));
  });
};

export type Machine = {
  cpu: string;
  cores: number;
  memoryGb: number;
  freeMemoryGb: number;
  kernel: string;
  node: string;
  betterSqlite3: string;
  sqlite: string;
  emmettSqlite: string | null;
  loadAverage: string;
  date: string;
};

const packageVersion = (name: string, nodeModules: string): string | null => {
  try {
    // read directly: a package's `exports` may not expose its package.json
    return (JSON.parse(readFileSync(join(nodeModules, name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
};

export const describeMachine = (peersDir: string): Machine => {
  const db = new Database(':memory:');
  const sqlite = db.prepare('select sqlite_version()').pluck().get() as string;
  db.close();
  let loadAverage = '';
  try {
    loadAverage = execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ');
  } catch {
    loadAverage = 'unknown';
  }
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: totalmem() / 2 ** 30,
    freeMemoryGb: freemem() / 2 ** 30,
    kernel: release(),
    node: process.version,
    betterSqlite3: packageVersion('better-sqlite3', join(__dirname, '..', '..', 'node_modules')) ?? 'unknown',
    sqlite,
    emmettSqlite: packageVersion('@event-driven-io/emmett-sqlite', join(peersDir, 'node_modules')),
    loadAverage,
    date: new Date().toISOString(),
  };
};

const markdownTable = (comparisons: readonly Comparison[]): string[] => {
  const lines = [
    `| ${header.join(' | ')} | runs (ours / baseline) |`,
    `| ${header.map(() => '---').join(' | ')} | --- |`,
  ];
  rowsOf(comparisons).forEach((cells, index) => {
    const comparison = comparisons[index];
    const runs = [formatRuns(comparison.ours), comparison.baseline ? formatRuns(comparison.baseline.value) : '']
      .filter(Boolean)
      .join(' ‖ ');
    lines.push(`| ${[...cells, runs].map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`);
  });
  return lines;
};

export type Report = {
  machine: Machine;
  command: string;
  mode: 'quick' | 'full';
  durationSeconds: number;
  comparisons: Comparison[];
  notes: string[];
  methodology: string[];
  /** markdown appended as is */
  analysis: string;
};

export const renderMarkdown = (report: Report): string => {
  const { machine } = report;
  const sections = [...new Set(report.comparisons.map((comparison) => comparison.section))];
  const targets = report.comparisons.filter((comparison) => comparison.met !== null);
  const missed = targets.filter((comparison) => comparison.met === false);
  const lines = [
    '# Benchmarks',
    '',
    `Generated by \`${report.command}\` (${report.mode} mode, ${report.durationSeconds.toFixed(0)} s) on ${machine.date}.`,
    'Every figure is the median of the runs shown; each baseline ran in the same process run,',
    'interleaved with ours, so a noisy machine hits both alike. Compare ratios, not absolute',
    'numbers, across machines.',
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpu}, ${machine.cores} cores; memory ${machine.memoryGb.toFixed(1)} GiB (${machine.freeMemoryGb.toFixed(1)} GiB free at start); load average at start ${machine.loadAverage}`,
    `- Linux ${machine.kernel}; Node ${machine.node}; better-sqlite3 ${machine.betterSqlite3} (SQLite ${machine.sqlite}); Emmett SQLite ${machine.emmettSqlite ?? 'not installed'}`,
    '',
    `## Targets: ${targets.length - missed.length} of ${targets.length} met`,
    '',
    ...(missed.length > 0
      ? missed.map(
          (comparison) =>
            `- missed: ${comparison.section} / ${comparison.scenario}${comparison.baseline ? ` vs ${comparison.baseline.label}` : ''} (target ${comparison.target})`,
        )
      : ['- all targets met in this run']),
    '',
  ];
  for (const section of sections) {
    lines.push(`## ${section}`, '');
    lines.push(...markdownTable(report.comparisons.filter((comparison) => comparison.section === section)));
    const notes = report.comparisons
      .filter((comparison) => comparison.section === section && comparison.note)
      .map((comparison) => `- ${comparison.scenario}: ${comparison.note}`);
    if (notes.length > 0) lines.push('', ...notes);
    lines.push('');
  }
  if (report.notes.length > 0) lines.push('## Notes from this run', '', ...report.notes.map((note) => `- ${note}`), '');
  lines.push('## How each figure is taken', '', ...report.methodology.map((line) => `- ${line}`), '');
  lines.push(report.analysis.trim(), '');
  return lines.join('\n');
};
