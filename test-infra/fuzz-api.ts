import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServiceOnFreePort } from '../apps/lead-service/test/reliability/service-process';
import { down, infraDir, up } from './infra';

// schemathesis (PyPI) against the service's own OpenAPI document, once per role token, on the
// real servers of `npm run infra` when they can run (embedded adapters otherwise).

export const schemathesisVersion = '4.32.5';
const venv = join(infraDir, 'venv');
const schemathesis = join(venv, 'bin', 'schemathesis');
const roles = ['marketing', 'sales', 'analyst', 'auditor', 'admin'] as const;
const checks = ['not_a_server_error', 'status_code_conformance', 'response_schema_conformance'];

const ensureSchemathesis = (): void => {
  const installed = spawnSync(schemathesis, ['--version'], { encoding: 'utf8' });
  if (installed.status === 0 && installed.stdout.includes(schemathesisVersion)) return;
  const since = Date.now();
  execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(
    join(venv, 'bin', 'pip'),
    ['install', '-q', `schemathesis==${schemathesisVersion}`],
    {
      stdio: 'inherit',
    },
  );
  console.log(`schemathesis ${schemathesisVersion} installed in ${(Date.now() - since) / 1000} s`);
};

type Counts = { operations: number; cases: number; failures: number };

type JsonReport = {
  operations: { tested: number };
  test_cases: { generated: number; unique_failures: number };
};

const countsOf = (reportPath: string): Counts => {
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as JsonReport;
  return {
    operations: report.operations.tested,
    cases: report.test_cases.generated,
    failures: report.test_cases.unique_failures,
  };
};

/** resolves with the exit code: 0 only when every role's run found no failure */
export const fuzzApi = async (options: {
  maxExamples: number;
  maxTimeSeconds: number;
  mode?: string;
  roles?: string[];
}): Promise<number> => {
  ensureSchemathesis();
  const infra = await up({ ifAvailable: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'lead-fuzz-'));
  const reports = join(infraDir, 'schemathesis');
  mkdirSync(reports, { recursive: true });
  const service = await startServiceOnFreePort({
    dataDir,
    env: { ...infra.env, MONGO_DB: `fuzz_${randomUUID().slice(0, 8)}` },
  });
  let failed = false;
  try {
    console.log(
      `fuzzing ${service.url}/docs-json on ${Object.keys(infra.env).join(', ') || 'embedded adapters'}`,
    );
    for (const role of options.roles ?? roles) {
      const reportPath = join(reports, `${role}.json`);
      rmSync(reportPath, { force: true });
      const run = spawnSync(
        schemathesis,
        [
          'run',
          `${service.url}/docs-json`,
          `--url=${service.url}`,
          `--header=Authorization: Bearer dev-${role}`,
          `--checks=${checks.join(',')}`,
          `--max-examples=${options.maxExamples}`,
          `--max-time=${options.maxTimeSeconds}`,
          '--seed=15',
          '--workers=1',
          `--mode=${options.mode ?? 'all'}`,
          '--report=json',
          `--report-json-path=${reportPath}`,
        ],
        // its cache (.schemathesis/) lands in the working directory: keep it under .infra/
        { stdio: 'inherit', cwd: reports, env: { ...process.env, SCHEMATHESIS_HOOKS: '' } },
      );
      const counts = existsSync(reportPath) ? countsOf(reportPath) : null;
      console.log(
        `schemathesis ${role}: exit ${run.status}, ${counts ? `${counts.operations} operations, ${counts.cases} cases, ${counts.failures} failures` : 'no report'}`,
      );
      if (run.status !== 0) failed = true;
    }
  } finally {
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await down(infra.started);
  }
  return failed ? 1 : 0;
};
