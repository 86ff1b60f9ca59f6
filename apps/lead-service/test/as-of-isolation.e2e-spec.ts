import { type ClientRequest, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AsOfPool } from '../src/read-side/as-of-pool';
import { type TestApp, bearer, captureBody, startTestApp } from './test-app';

// As-of questions run in worker threads: bounded (ASOF_WORKERS + ASOF_QUEUE, then a 503), and
// dropped when the client goes away.
describe('as-of questions off the main event loop', () => {
  let t: TestApp;
  let pool: AsOfPool;
  let port: number;
  const asOf = () =>
    `/attribution?model=linear&asOf=${encodeURIComponent(t.clock.now().toISOString())}`;

  const until = async (condition: () => boolean): Promise<void> => {
    while (!condition()) await new Promise((resolve) => setImmediate(resolve));
  };

  // A fresh app per test: its first as-of question also starts the worker thread (about a second
  // under jest), so that question is surely still running while the test acts.
  beforeEach(async () => {
    t = await startTestApp({ env: { ASOF_WORKERS: '1', ASOF_QUEUE: '0' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    pool = t.app.get(AsOfPool);
    await t.http.post('/leads').set(bearer('marketing')).send(captureBody()).expect(201);
  });
  afterEach(() => t.close());

  it('terminates the worker job of a client that went away and frees its slot', async () => {
    const client: ClientRequest = httpRequest({
      port,
      host: '127.0.0.1',
      path: asOf(),
      headers: bearer('analyst'),
    });
    let answered = false;
    client.on('response', () => (answered = true));
    client.on('error', () => undefined);
    client.end();
    await until(() => pool.load().running === 1);

    client.destroy();
    await until(() => pool.load().running === 0);
    expect(answered).toBe(false);

    await t.http.get(asOf()).set(bearer('analyst')).expect(200);
  });

  it('answers 503 busy with Retry-After when every worker and queue slot is taken', async () => {
    const first = t.http
      .get(asOf())
      .set(bearer('analyst'))
      .then((response) => response);
    await until(() => pool.load().running === 1);

    const refused = await t.http.get(asOf()).set(bearer('analyst'));

    expect(refused.status).toBe(503);
    expect((await first).status).toBe(200);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ status: 503, code: 'busy' });
    expect(refused.headers['retry-after']).toBe('5');
  });
});
