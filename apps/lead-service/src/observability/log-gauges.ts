import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { WriteStatus } from '../health/write-status';
import { LogPositions, projectionNames } from './log-positions';
import { Metrics } from './metrics';

const lag = (head: bigint, position: bigint): number =>
  Number(head > position ? head - position : 0n);

// Computed at scrape time (collect callbacks): nothing runs between scrapes. A failing source
// drops its series rather than report a stale value.
@Injectable()
export class LogGauges implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly positions: LogPositions,
    private readonly writes: WriteStatus,
  ) {}

  onModuleInit(): void {
    const { registry } = this.metrics;
    const positions = this.positions;
    const head = new Gauge({
      name: 'lead_log_head_position',
      help: 'Global position of the last event in the log',
      registers: [registry],
      collect: async () => {
        try {
          head.set(Number(await positions.head()));
        } catch {
          head.reset();
        }
      },
    });
    const projectionLag = new Gauge({
      name: 'lead_projection_lag_positions',
      help: 'Log head position minus the position the projection has committed',
      labelNames: ['projection'] as const,
      registers: [registry],
      collect: async () => {
        try {
          const [logHead, projected] = await Promise.all([
            positions.head(),
            positions.projections(),
          ]);
          for (const projection of projectionNames)
            projectionLag.set({ projection }, lag(logHead, projected));
        } catch {
          projectionLag.reset();
        }
      },
    });
    if (positions.relayConfigured()) {
      const relayLag = new Gauge({
        name: 'lead_relay_lag_positions',
        help: 'Log head position minus the position the Kafka relay has had acknowledged',
        registers: [registry],
        collect: async () => {
          try {
            const [logHead, relayed] = await Promise.all([positions.head(), positions.relay()]);
            relayLag.set(lag(logHead, relayed ?? 0n));
          } catch {
            relayLag.reset();
          }
        },
      });
    }
    // the projector's own counters exist only where it runs (not with BACKGROUND_WORK=false)
    if (positions.projectorHealth() !== null) {
      const failing = new Gauge({
        name: 'lead_projection_failing',
        help: '1 while the projector retries a batch the read store refused (full disk, I/O error, server gone)',
        registers: [registry],
        collect: () => {
          failing.set(positions.projectorHealth()?.failing ? 1 : 0);
        },
      });
      const writeFailures = new Counter({
        name: 'lead_projection_write_failures_total',
        help: 'Attempts at storing a projection batch that the read store refused',
        registers: [registry],
        collect: () => {
          writeFailures.reset();
          writeFailures.inc(positions.projectionWriteFailures() ?? 0);
        },
      });
    }
    const writes = this.writes;
    const appendFailures = new Counter({
      name: 'lead_event_store_write_failures_total',
      help: 'Appends the event store refused for a storage reason (answered 503 storage_unavailable)',
      registers: [registry],
      collect: () => {
        appendFailures.reset();
        appendFailures.inc(writes.failedWrites());
      },
    });
    const parked = new Gauge({
      name: 'lead_projection_parked_events',
      help: 'Events a projection could not apply, parked in the dead_letters collection',
      registers: [registry],
      collect: async () => {
        try {
          parked.set(await positions.parkedEvents());
        } catch {
          parked.reset();
        }
      },
    });
  }
}
