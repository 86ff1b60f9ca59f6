import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@lead/runtime';
import { createApp } from '../../apps/lead-service/src/app';
import { exitOnRequest, failChild, reportToParent } from '../lib/child';

// lead-service on an existing DATA_DIR, listening on a free loopback port, so the bench can poll
// /health/live over real HTTP while it asks an as-of question. Usage: liveness.child.ts <dataDir>
const main = async (): Promise<void> => {
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: process.argv[2], RATE_LIMIT_PER_MINUTE: '0' });
  const app = await createApp({ config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  exitOnRequest(() => app.close());
  reportToParent({ type: 'listening', port: (app.getHttpServer().address() as AddressInfo).port });
};

main().catch(failChild);
