import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { EventPublisher } from '@lead/messaging';
import { ReadStore } from '@lead/read-models';
import { BackgroundWork } from '@lead/runtime';
import type { RecordedEvent } from '@lead/event-store';
import { BrokerStatus } from '../src/health/broker-status';
import { type TestApp, bearer, captureBody, startTestApp, tokens } from './test-app';

const capture = async (t: TestApp): Promise<{ leadId: string; position: string }> =>
  (await t.http.post('/leads').set(bearer('marketing')).send(captureBody()).expect(201)).body;

/** the value of one sample in Prometheus text, or undefined when the series is absent */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

class FailingPublisher extends EventPublisher {
  publish(_events: RecordedEvent[]): Promise<void> {
    return Promise.reject(new Error('broker unreachable'));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

// Positions count the agreement's founding version (3 events, issue 12) before the first lead
// event: a fresh log's first capture is at position 4.
describe('operations: readiness, metrics, logs, rate limits, security headers', () => {
  describe('with the embedded stores and the relay off', () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp();
    });
    afterEach(() => t.close());

    it('/health reports each check; the broker only when KAFKA_BROKERS is set', async () => {
      const { position } = await capture(t);
      await t.http.get(`/leads?consistentWith=${position}`).set(bearer('sales')).expect(200);
      const health = await t.http.get('/health').expect(200);
      expect(health.body).toEqual({
        status: 'ok',
        info: health.body.details,
        error: {},
        details: {
          eventStore: { status: 'up', head: '4' },
          readStore: { status: 'up', parkedEvents: 0 },
          projections: { status: 'up', position: '4', lag: '0' },
        },
      });
      expect((await t.http.get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
    });

    it('a projector that is behind is ready; one stuck for a minute is not (503)', async () => {
      await t.app.get(BackgroundWork).projector.stop();
      await capture(t);
      const behind = await t.http.get('/health').expect(200);
      expect(behind.body.details.projections).toEqual({ status: 'up', position: '0', lag: '4' });
      t.clock.advanceMinutes(2);
      const stuck = await t.http.get('/health').expect(503);
      expect(stuck.headers['content-type']).toMatch(/^application\/json/);
      expect(stuck.body).toMatchObject({
        status: 'error',
        info: { eventStore: { status: 'up' }, readStore: { status: 'up' } },
        error: {
          projections: {
            status: 'down',
            lag: '4',
            message: 'the projector has not moved for 120 s while events wait',
          },
        },
      });
    });

    it('/metrics: latency by route pattern, appends by type, lags, parked events, breach alerts', async () => {
      const { leadId, position } = await capture(t);
      await t.http.get('/leads/not-a-uuid').set(bearer('sales')).expect(400);
      await t.http.get('/no-such-route').expect(404);
      await t.http
        .get(`/leads/${leadId}?consistentWith=${position}`)
        .set(bearer('sales'))
        .expect(200);

      const first = (
        await t.http
          .get('/metrics')
          .expect(200)
          .expect('Content-Type', /^text\/plain/)
      ).text;
      const http = (method: string, route: string, statusClass: string) =>
        sample(
          first,
          `http_request_duration_seconds_count{method="${method}",route="${route}",status_class="${statusClass}"}`,
        );
      expect(http('POST', '/leads', '2xx')).toBe(1);
      expect(http('GET', '/leads/:id', '4xx')).toBe(1);
      expect(http('GET', '/leads/:id', '2xx')).toBe(1);
      expect(http('GET', 'unmatched', '4xx')).toBe(1);
      expect(sample(first, 'lead_events_appended_total{type="LeadCaptured"}')).toBe(1);
      expect(sample(first, 'lead_log_head_position')).toBe(4);
      for (const projection of ['lead-summary', 'lead-attribution', 'log-head'])
        expect(sample(first, `lead_projection_lag_positions{projection="${projection}"}`)).toBe(0);
      expect(sample(first, 'lead_projection_parked_events')).toBe(0);
      expect(sample(first, 'lead_sla_breach_alerts_appended_total')).toBe(0);
      expect(first).not.toContain('lead_relay_lag_positions');
      expect(first).toContain('process_cpu_seconds_total');

      // a handoff nobody answers: the deadline watcher's alert is counted
      await t.http
        .post(`/leads/${leadId}/score`)
        .set(bearer('marketing'))
        .send({ score: 80 })
        .expect(200);
      const handoff = await t.http
        .post(`/leads/${leadId}/handoff`)
        .set(bearer('marketing'))
        .send({ toRep: 'rep-1' })
        .expect(200);
      await t.http
        .get(`/leads/${leadId}?consistentWith=${handoff.body.position}`)
        .set(bearer('sales'))
        .expect(200);
      t.clock.advanceMinutes(25 * 60);
      expect(await t.app.get(BackgroundWork).watcher.check()).toBe(1);
      // a parked poison event, as the projection runner records it
      await t.app.get(ReadStore).commit('operations-test', 1n, [
        {
          collection: 'dead_letters',
          id: 'lead-summary@1',
          doc: { _id: 'lead-summary@1' },
          position: 1n,
        },
      ]);

      const second = (await t.http.get('/metrics').expect(200)).text;
      expect(sample(second, 'lead_sla_breach_alerts_appended_total')).toBe(1);
      expect(sample(second, 'lead_events_appended_total{type="LeadHandoffSlaBreached"}')).toBe(1);
      expect(sample(second, 'lead_events_appended_total{type="LeadHandedOff"}')).toBe(1);
      expect(sample(second, 'lead_log_head_position')).toBe(7);
      expect(sample(second, 'lead_projection_parked_events')).toBe(1);
      expect((await t.http.get('/health').expect(200)).body.details.readStore.parkedEvents).toBe(1);
    });

    it('sets security headers on every response, problems included', async () => {
      for (const response of [
        await t.http.get('/health').expect(200),
        await t.http.get('/leads').expect(401),
        await t.http.get('/docs').expect(200),
      ]) {
        expect(response.headers).toMatchObject({
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'SAMEORIGIN',
          'referrer-policy': 'no-referrer',
          'strict-transport-security': expect.stringContaining('max-age='),
        });
        const csp = response.headers['content-security-policy'];
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("object-src 'none'");
        expect(csp).not.toContain('unsafe-eval');
      }
    });
  });

  it('the broker check: included when KAFKA_BROKERS is set, down when the last publish failed', async () => {
    // lead-worker runs the relay (BACKGROUND_WORK=false): its checkpoint is read from the store
    const t = await startTestApp({
      env: { KAFKA_BROKERS: '127.0.0.1:1', BACKGROUND_WORK: 'false' },
    });
    try {
      await capture(t);
      const ready = await t.http.get('/health').expect(200);
      expect(ready.body.details.broker).toEqual({
        status: 'up',
        position: '0',
        lag: '4',
        lastPublishAt: null,
      });
      expect(sample((await t.http.get('/metrics')).text, 'lead_relay_lag_positions')).toBe(4);

      // the in-process relay's publisher reports through BrokerStatus
      const failing = t.app.get(BrokerStatus).watch(new FailingPublisher())!;
      await expect(failing.publish([])).rejects.toThrow('broker unreachable');
      const down = await t.http.get('/health').expect(503);
      expect(down.body.error.broker).toMatchObject({
        status: 'down',
        message: 'the last publish failed: broker unreachable',
        lastPublishAt: t.clock.now().toISOString(),
      });
    } finally {
      await t.close();
    }
  });

  it('the broker check counts an agreement event waiting for the relay (it publishes both)', async () => {
    const t = await startTestApp({
      env: { KAFKA_BROKERS: '127.0.0.1:1', BACKGROUND_WORK: 'false' },
    });
    try {
      await capture(t);
      // lead-worker has relayed every lead event; then a manager proposes a new version
      await t.app.get(ReadStore).commit('relay', 4n, []);
      await t.http
        .post('/agreements')
        .set(bearer('marketing_manager'))
        .send({
          effectiveFrom: '2026-04-01T00:00:00Z',
          terms: {
            qualification: { mqlThreshold: 70 },
            scoring: { source: 'external' },
            salesResponse: { acceptWithinMinutes: 480 },
            marketing: { mqlsPerMonth: 120 },
          },
        })
        .expect(201);
      expect((await t.http.get('/health').expect(200)).body.details.broker).toMatchObject({
        position: '4',
        lag: '1',
      });
      t.clock.advanceMinutes(2);
      const stuck = await t.http.get('/health').expect(503);
      expect(stuck.body.error.broker).toMatchObject({
        status: 'down',
        message: 'the relay has not moved for 120 s while events wait',
      });
    } finally {
      await t.close();
    }
  });

  it('logs one JSON line per request with its correlation id and never the token', async () => {
    const lines: string[] = [];
    // nestjs-pino keeps one process-wide logger for lines written outside a request, made by the
    // first app of the process; one app per process in production, several here
    __resetOutOfContextForTests();
    const t = await startTestApp({
      env: { LOG_LEVEL: 'info' },
      logDestination: { write: (line: string) => void lines.push(line) },
    });
    try {
      await t.http
        .post('/leads')
        .set(bearer('marketing'))
        .set('X-Correlation-Id', 'corr-log-1')
        .send(captureBody())
        .expect(201);
      await t.http.get('/leads').set('Authorization', 'Bearer not-a-known-token').expect(401);
      await t.http.get('/health').expect(200);
    } finally {
      await t.close();
      __resetOutOfContextForTests();
    }
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = entries.filter((entry) => entry.req !== undefined && entry.res !== undefined);
    expect(requests).toHaveLength(2); // probes are not logged
    expect(requests[0]).toMatchObject({
      level: 30,
      correlationId: 'corr-log-1',
      req: { method: 'POST', url: '/leads', headers: { authorization: '[redacted]' } },
      res: { statusCode: 201 },
      msg: 'request completed',
    });
    expect(requests[1]).toMatchObject({
      level: 40,
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      req: { headers: { authorization: '[redacted]' } },
      res: { statusCode: 401 },
    });
    // Nest's own log lines are JSON too
    expect(entries.some((entry) => entry.context === 'RoutesResolver')).toBe(true);
    const all = lines.join('\n');
    for (const token of [tokens.marketing, 'not-a-known-token']) expect(all).not.toContain(token);
  });

  describe('rate limiting', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
    });
    afterAll(() => t.close());

    it('answers 429 with Retry-After once a token spends its budget; other callers are unaffected', async () => {
      for (const remaining of ['2', '1', '0']) {
        const ok = await t.http.get('/leads').set(bearer('analyst')).expect(200);
        expect(ok.headers['x-ratelimit-remaining']).toBe(remaining);
      }
      const limited = await t.http.get('/leads').set(bearer('analyst')).expect(429);
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.body).toMatchObject({
        status: 429,
        code: 'rate_limited',
        title: 'Too Many Requests',
        detail: expect.stringContaining('rate limit of 3 requests per minute exceeded'),
      });
      // the budget is per caller across all routes, not per route
      await t.http.get('/funnel').set(bearer('analyst')).expect(429);
      // another token has its own budget
      await t.http.get('/leads').set(bearer('sales')).expect(200);
    });

    it('anonymous and unknown-token callers share their IP budget, so guessing tokens is limited', async () => {
      for (let i = 0; i < 3; i++) await t.http.get('/leads').expect(401);
      await t.http.get('/leads').expect(429);
      await t.http.get('/leads').set('Authorization', 'Bearer guess-1').expect(429);
    });

    it('never limits the probes and the scrape', async () => {
      for (let i = 0; i < 5; i++) {
        await t.http.get('/health').expect(200);
        await t.http.get('/metrics').expect(200);
      }
    });
  });
});
