import { type ChildProcess, spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const register = join(root, 'scripts', 'swc-register.js');

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

export type Service = { url: string; stop(): Promise<void> };

// The real lead-service as a child process, from source, on a free port.
export const startService = async (dataDir: string): Promise<Service> => {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    PORT: String(port),
    // no breach alerts between the two seed runs: the log must only hold what seed-demo sent
    SLA_BREACH_GRACE_SECONDS: '86400',
  };
  delete env.API_KEYS;
  delete env.EVENTSTORE_URL;
  delete env.MONGO_URL;
  delete env.KAFKA_BROKERS;
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', register, join(root, 'apps', 'lead-service', 'src', 'main.ts')],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  // listening once /health answers at all (a refused connection means not yet)
  for (const started = Date.now(); ;) {
    if (child.exitCode !== null) throw new Error(`lead-service exited at start:\n${output}`);
    const health = await fetch(`${url}/health`).catch(() => null);
    if (health) break;
    if (Date.now() - started > 60_000) throw new Error(`lead-service did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
};
