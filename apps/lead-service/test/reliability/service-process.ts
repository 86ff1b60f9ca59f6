import { type ChildProcess, spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..', '..');
const register = join(__dirname, '..', '..', '..', '..', 'scripts', 'swc-register.js');
const main = join(root, 'apps', 'lead-service', 'src', 'main.ts');
const startDeadlineMs = 90_000;

export type ServiceProcess = {
  url: string;
  port: number;
  dataDir: string;
  /** resolves when the process has exited (for whatever reason) */
  exited: Promise<void>;
  /** SIGKILL: no shutdown hook runs, exactly like a crash or an OOM kill */
  crash(): Promise<void>;
  stop(): Promise<void>;
  /** everything the process wrote, for failure messages */
  output(): string;
};

// main.ts prints its URL from the configured port, so PORT=0 cannot be used: ask the kernel for
// a free port and hand it over. Another process could take it in between; start() then fails
// with the service's own error and the caller picks another port.
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

// Embedded mode only: the server adapters and the Kafka relay are configured by these, and a
// developer's shell must not point the test at real servers.
const serverVariables = ['EVENTSTORE_URL', 'MONGO_URL', 'MONGO_DB', 'KAFKA_BROKERS', 'API_KEYS'];

/** The real service (apps/lead-service/src/main.ts) in a child process, listening on `port`. */
export const startService = async (options: {
  dataDir: string;
  port: number;
  env?: Record<string, string>;
}): Promise<ServiceProcess> => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of serverVariables) delete env[name];
  Object.assign(env, {
    NODE_ENV: 'test',
    DATA_DIR: options.dataDir,
    PORT: String(options.port),
    // floods are the point here; the throttler has its own test
    RATE_LIMIT_PER_MINUTE: '1000000',
    ...options.env,
  });
  const child: ChildProcess = spawn(process.execPath, ['-r', register, main], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exit = '';
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = signal ?? `code ${code}`;
      resolve();
    }),
  );
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the service did not start within ${startDeadlineMs} ms:\n${output}`));
    }, startDeadlineMs);
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.includes('lead-service listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the service exited (${exit}) before listening:\n${output}`));
    });
  });
  await listening;
  const signal = async (name: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return {
    url: `http://127.0.0.1:${options.port}`,
    port: options.port,
    dataDir: options.dataDir,
    exited,
    crash: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
    output: () => output,
  };
};

/** Starts the service on a free port, trying another one if the first was taken meanwhile. */
export const startServiceOnFreePort = async (options: {
  dataDir: string;
  port?: number;
  env?: Record<string, string>;
}): Promise<ServiceProcess> => {
  let lastError: unknown = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = attempt === 0 && options.port ? options.port : await freePort();
    try {
      return await startService({ ...options, port });
    } catch (error) {
      lastError = error;
      if (!String(error).includes('EADDRINUSE')) throw error;
    }
  }
  throw lastError;
};
