import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '../src/cli-program';
import type { SimulationSummary } from '../src/seed-demo/seed-demo.command';
import { type Service, startService } from './lead-service-process';

// seed-demo --simulate records a history into an empty data dir with the service in-process;
// then the real service, started on that dir, answers from it.

const anchor = '2026-06-30T00:00:00.000Z';

const cli = async (args: string[], env: NodeJS.ProcessEnv) => {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const code = await runCli(args, {
    env,
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
    now: () => new Date(),
  });
  return { code, stdout, stderr };
};

describe('seed-demo --simulate', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lead-cli-simulate-'));
  const env: NodeJS.ProcessEnv = { NODE_ENV: 'test', LOG_LEVEL: 'silent' };
  const args = [
    'seed-demo',
    '--simulate',
    '--leads',
    '150',
    '--anchor',
    anchor,
    '--data-dir',
    dataDir,
  ];
  let summary: SimulationSummary;
  let service: Service;
  const get = async <T>(path: string, token = 'dev-analyst'): Promise<T> => {
    const response = await fetch(`${service.url}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    const run = await cli([...args, '--format', 'json', '-q'], env);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    summary = JSON.parse(run.stdout) as SimulationSummary;
    service = await startService(dataDir);
  }, 300_000);

  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('summarises what it recorded: every remedy kind, disputes of both outcomes, four versions', () => {
    expect(summary).toMatchObject({ leads: 150, anchor, dataDir });
    expect(summary.remedies.reassign).toBeGreaterThan(0);
    expect(summary.remedies.return_to_marketing).toBeGreaterThan(0);
    expect(summary.remedies.escalate).toBeGreaterThan(0);
    expect(summary.disputes.upheld).toBeGreaterThan(0);
    expect(summary.disputes.overturned).toBeGreaterThan(0);
    expect(summary.events.LeadCaptured).toBe(150);
    expect(summary.events.SalesActivityLogged).toBeGreaterThan(0);
    expect(summary.events.LeadQualifiedBySales).toBeGreaterThan(0);
  });

  it('shows the agreement versions: v2 and v3 approved from mid-history, v4 proposed', async () => {
    const { items: versions, inForce } = await get<{
      items: { version: number; status: string; effectiveFrom: string }[];
      inForce: number;
    }>('/agreements');
    expect(inForce).toBe(3);
    expect(versions.map(({ version, status }) => [version, status])).toEqual([
      [1, 'approved'],
      [2, 'approved'],
      [3, 'approved'],
      [4, 'proposed'],
    ]);
    const v2 = Date.parse(versions[1].effectiveFrom);
    expect(v2).toBeGreaterThan(Date.parse(anchor) - 100 * 86_400_000);
    expect(v2).toBeLessThan(Date.parse(anchor) - 80 * 86_400_000);
  });

  it('recorded the automations through the API: computed scores, breaches and each remedy', async () => {
    const { items } = await get<{ items: { leadId: string }[] }>('/leads?limit=200', 'dev-admin');
    const types = new Map<string, number>();
    const models = new Set<string>();
    for (const { leadId } of items) {
      const { events } = await get<{
        events: { type: string; data: { model?: string }; metadata: { actor: { id: string } } }[];
      }>(`/leads/${leadId}/history`, 'dev-auditor');
      for (const event of events) {
        types.set(event.type, (types.get(event.type) ?? 0) + 1);
        if (event.type === 'LeadScored' && event.metadata.actor.id === 'system') {
          models.add(event.data.model ?? '');
        }
      }
    }
    expect(models).toEqual(new Set(['agreement@2', 'agreement@3']));
    for (const type of [
      'LeadHandoffSlaBreached',
      'LeadReassigned',
      'LeadReturnedToMarketing',
      'LeadSlaEscalated',
      'LeadRejectionDisputeResolved',
    ]) {
      expect(types.get(type) ?? 0).toBeGreaterThan(0);
    }
  });

  it('refuses a data dir whose log is not empty, naming the way out', async () => {
    await service.stop();
    const run = await cli([...args, '-q'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/is not empty .*--data-dir/);
    service = await startService(dataDir);
  }, 120_000);
});
