import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const slaBreachEventType = 'LeadHandoffSlaBreached';

// One registry per app instance (not prom-client's global one), so several apps in one process
// (the e2e tests) never collide over metric names.
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly eventsAppended = new Counter({
    name: 'lead_events_appended_total',
    help: 'Events appended to the log by this process, by event type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly slaBreachAlertsAppended = new Counter({
    name: 'lead_sla_breach_alerts_appended_total',
    help: `${slaBreachEventType} alerts appended by the deadline watcher in this process`,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  countAppended(events: readonly { type: string }[]): void {
    for (const { type } of events) {
      this.eventsAppended.inc({ type });
      if (type === slaBreachEventType) this.slaBreachAlertsAppended.inc();
    }
  }
}
