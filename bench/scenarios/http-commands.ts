import { join } from 'node:path';
import autocannon from 'autocannon';
import { v7 as uuidv7 } from 'uuid';
import { type ChildHandle, startChild } from '../lib/child';
import type { BenchContext } from '../lib/context';
import { type Comparison, measure } from '../lib/report';
import { median } from '../lib/stats';

type Target = 'node' | 'bare' | 'app';
type Route = 'capture' | 'score' | 'durable';
type Sample = { rps: number; p50: number; p99: number; non2xx: number; errors: number };

const headers = {
  'content-type': 'application/json',
  authorization: 'Bearer dev-marketing',
};

const captureBody = JSON.stringify({
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  company: 'Analytical Engines Ltd',
  source: { campaignId: 'spring-webinar', channel: 'webinar' },
});
const scoreBody = JSON.stringify({ score: 72, reasons: [{ rule: 'fit', points: 72 }] });

const startServer = async (context: BenchContext, target: Target): Promise<{ child: ChildHandle; url: string }> => {
  const child = startChild(join(__dirname, '..', 'children', 'http-server.child.ts'), [target], {
    verbose: context.verbose,
    cpuProfileDir: context.profileDir ? join(context.profileDir, `http-${target}`) : undefined,
  });
  const { url } = await child.next<{ type: 'listening'; url: string }>('listening', 120_000);
  return { child, url };
};

const load = async (url: string, route: Route, connections: number, seconds: number, leads: readonly string[]): Promise<Sample> => {
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    method: 'POST',
    headers,
    body: route === 'score' ? scoreBody : captureBody,
    requests:
      route !== 'score'
        ? [{ method: 'POST', path: route === 'durable' ? '/leads/durable/leads' : '/leads' }]
        : [
            {
              method: 'POST',
              // round-robin over existing leads: every request reads a stream and appends to it
              setupRequest: (request) => ({ ...request, path: `/leads/${leads[next++ % leads.length]}/score` }),
            },
          ],
  });
  return {
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
};

const seedLeads = async (url: string, count: number): Promise<string[]> => {
  const ids = Array.from({ length: count }, () => uuidv7());
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const leadId = ids[next++];
      const response = await fetch(`${url}/leads`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ ...JSON.parse(captureBody), leadId }),
      });
      if (response.status !== 201) throw new Error(`seeding a lead answered ${response.status}: ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return ids;
};

export const httpScenario = async (context: BenchContext): Promise<Comparison[]> => {
  const section = 'HTTP commands end-to-end (autocannon, Fastify adapter)';
  const seconds = context.quick ? 2 : 5;
  const connectionLevels = [1, 10, 50];
  const servers = {
    node: await startServer(context, 'node'),
    bare: await startServer(context, 'bare'),
    app: await startServer(context, 'app'),
  };
  try {
    const leads = await seedLeads(servers.app.url, context.quick ? 1_000 : 5_000);
    // warm the servers (JIT, SQLite page cache) before anything is measured
    await load(servers.node.url, 'capture', 10, 1, leads);
    await load(servers.bare.url, 'capture', 10, 1, leads);
    await load(servers.app.url, 'capture', 10, 1, leads);
    await load(servers.app.url, 'score', 10, 1, leads);

    const comparisons: Comparison[] = [];
    for (const connections of connectionLevels) {
      const samples: Record<'node' | 'bare' | Route, Sample[]> = { node: [], bare: [], durable: [], capture: [], score: [] };
      for (let run = 0; run < context.heavyRuns; run++) {
        context.log(`  ${connections} connections, run ${run + 1}/${context.heavyRuns}`);
        samples.node.push(await load(servers.node.url, 'capture', connections, seconds, leads));
        samples.bare.push(await load(servers.bare.url, 'capture', connections, seconds, leads));
        samples.durable.push(await load(servers.bare.url, 'durable', connections, seconds, leads));
        samples.capture.push(await load(servers.app.url, 'capture', connections, seconds, leads));
        samples.score.push(await load(servers.app.url, 'score', connections, seconds, leads));
      }
      const pick = (route: 'node' | 'bare' | Route, field: 'rps' | 'p50' | 'p99') => samples[route].map((sample) => sample[field]);
      const bare = { label: 'bare NestJS route', value: measure(pick('bare', 'rps'), 'req/s') };
      for (const route of ['capture', 'score'] as const) {
        const failures = samples[route].reduce((sum, sample) => sum + sample.non2xx + sample.errors, 0);
        const name = route === 'capture' ? 'POST /leads (capture)' : 'POST /leads/:id/score (existing lead)';
        comparisons.push({
          section,
          scenario: `${name}, ${connections} conn: throughput`,
          ours: measure(pick(route, 'rps'), 'req/s'),
          baseline: bare,
          target: '≥ 0.5×',
          met: median(pick(route, 'rps')) / median(pick('bare', 'rps')) >= 0.5,
          note: failures > 0 ? `${failures} non-2xx responses or errors` : undefined,
        });
        comparisons.push({
          section,
          scenario: `${name}, ${connections} conn: throughput`,
          ours: measure(pick(route, 'rps'), 'req/s'),
          baseline: { label: 'bare node:http JSON server', value: measure(pick('node', 'rps'), 'req/s') },
          // issue 13: at 50 connections a durable command should reach a tenth of the bare floor
          target: connections === 50 ? '≥ 0.1×' : null,
          met: connections === 50 ? median(pick(route, 'rps')) / median(pick('node', 'rps')) >= 0.1 : null,
        });
        comparisons.push({
          section,
          scenario: `${name}, ${connections} conn: throughput`,
          ours: measure(pick(route, 'rps'), 'req/s'),
          baseline: { label: 'bare route + 1 fsync\'d SQLite insert/request', value: measure(pick('durable', 'rps'), 'req/s') },
          target: null,
          met: null,
        });
        comparisons.push({
          section,
          scenario: `${name}, ${connections} conn: p50 latency`,
          ours: measure(pick(route, 'p50'), 'ms'),
          baseline: { label: 'bare NestJS route', value: measure(pick('bare', 'p50'), 'ms') },
          target: null,
          met: null,
        });
        comparisons.push({
          section,
          scenario: `${name}, ${connections} conn: p99 latency`,
          ours: measure(pick(route, 'p99'), 'ms'),
          baseline: { label: 'bare NestJS route', value: measure(pick('bare', 'p99'), 'ms') },
          target: connections === 50 ? '< 50 ms' : null,
          met: connections === 50 ? median(pick(route, 'p99')) < 50 : null,
        });
      }
    }
    return comparisons;
  } finally {
    await servers.node.child.stop();
    await servers.bare.child.stop();
    await servers.app.child.stop();
  }
};
