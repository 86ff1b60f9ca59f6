import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { createApp } from '../src/app';
import type { AppOptions } from '../src/app.module';
import { type AppConfig, loadConfig } from '@lead/runtime';
import type { Clock } from '../src/config/app-settings';

export class TestClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return this.current;
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
}

export const tokens = {
  marketing: 'dev-marketing',
  marketing_manager: 'dev-marketing-manager',
  sales: 'dev-sales',
  sales_manager: 'dev-sales-manager',
  analyst: 'dev-analyst',
  auditor: 'dev-auditor',
  admin: 'dev-admin',
} as const;
export type TestRole = keyof typeof tokens;

export type TestApp = {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  clock: TestClock;
  dataDir: string;
  config: AppConfig;
  restart(): Promise<TestApp>;
  close(): Promise<void>;
};

// The real app on a fresh DATA_DIR, dev tokens and a fixed clock.
export const startTestApp = async (
  options: {
    env?: NodeJS.ProcessEnv;
    dataDir?: string;
    clock?: TestClock;
    /** captures the JSON logs (set LOG_LEVEL in env: tests are silent by default) */
    logDestination?: DestinationStream;
    projectorRetry?: AppOptions['projectorRetry'];
  } = {},
): Promise<TestApp> => {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'lead-service-'));
  const clock = options.clock ?? new TestClock(new Date('2026-03-02T09:00:00.000Z'));
  // e2e tests fire many requests with one token; a test of the limit passes its own
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    RATE_LIMIT_PER_MINUTE: '1000000',
    ...options.env,
  });
  const app = await createApp({
    config,
    clock,
    logDestination: options.logDestination,
    projectorRetry: options.projectorRetry,
  });
  return {
    app,
    http: request(app.getHttpServer()),
    clock,
    dataDir,
    config,
    restart: async () => {
      await app.close();
      return startTestApp({ ...options, dataDir, clock });
    },
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

export const bearer = (role: TestRole) => ({ Authorization: `Bearer ${tokens[role]}` });

export const captureBody = (overrides: Record<string, unknown> = {}) => ({
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  company: 'Analytical Engines Ltd',
  source: { campaignId: 'spring-webinar', channel: 'webinar' },
  ...overrides,
});
