import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';

// Real servers without Docker: the Kafka broker (jars from Maven Central, see kafka/pom.xml) and
// FerretDB (built from the Go module proxy, see ferretdb/main.go), each fetched once into the
// git-ignored .infra/, started detached on free loopback ports and stopped by pid. `npm run
// infra` is the CLI over this module; the relay's integration test uses it to kill -9 and restart
// the broker.

export const root = resolve(__dirname, '..');
export const infraDir = join(root, '.infra');
export const envFile = join(infraDir, 'env');
export const ferretDbVersion = 'v1.24.2';
const kafkaPom = join(__dirname, 'kafka', 'pom.xml');
export const kafkaVersion = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(
  readFileSync(kafkaPom, 'utf8'),
)![1];

export type Server = 'kafka' | 'ferretdb';
type State = { pid: number; port: number; startedAt: string; [extra: string]: unknown };
type Say = (line: string) => void;

const serverDir = (server: Server) => join(infraDir, server);
const stateFile = (server: Server) => join(serverDir(server), 'state.json');
const logFile = (server: Server) => join(serverDir(server), `${server}.log`);
const kafkaLibs = join(infraDir, 'kafka', `libs-${kafkaVersion}`);
const ferretDbBinary = join(infraDir, 'bin', `ferretdb-${ferretDbVersion}`);

const has = (command: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

/** why a server cannot be fetched or run on this machine, or null when it can */
export const missingTools = (server: Server): string | null => {
  if (server === 'kafka') {
    if (!has('java')) return 'java (17+) is not installed';
    if (!existsSync(kafkaLibs) && !has('mvn')) return 'mvn is not installed to fetch the jars';
    return null;
  }
  if (!existsSync(ferretDbBinary) && !has('go')) return 'go is not installed to build FerretDB';
  return null;
};

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

export const fetchKafka = (say: Say): void => {
  if (existsSync(join(kafkaLibs, `kafka_2.13-${kafkaVersion}.jar`))) return;
  const since = Date.now();
  say(`kafka: resolving org.apache.kafka:kafka_2.13:${kafkaVersion} from Maven Central`);
  rmSync(kafkaLibs, { recursive: true, force: true });
  // the user's ~/.m2 is the download cache, so a fresh clone copies instead of downloading
  execFileSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      kafkaPom,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${kafkaLibs}`,
    ],
    { stdio: 'inherit' },
  );
  say(`kafka: jars fetched in ${seconds(since)}`);
};

export const fetchFerretDb = (say: Say): void => {
  if (existsSync(ferretDbBinary)) return;
  const since = Date.now();
  say(`ferretdb: building github.com/FerretDB/FerretDB ${ferretDbVersion} (test-infra/ferretdb)`);
  // the Go module and build caches stay in their usual places, so a fresh clone links quickly
  execFileSync('go', ['build', '-o', ferretDbBinary, '.'], {
    cwd: join(__dirname, 'ferretdb'),
    stdio: 'inherit',
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  say(`ferretdb: built in ${seconds(since)}`);
};

const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error()),
      );
    });
  });

// A killed server stays a zombie until its parent reaps it, and signal 0 still reaches a zombie:
// when `npm test` started the broker, the parent is the wrapper, so look at the state too.
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  return !existsSync(stat) || readFileSync(stat, 'utf8').split(') ')[1]?.[0] !== 'Z';
};

export const readState = (server: Server): State | null => {
  if (!existsSync(stateFile(server))) return null;
  const state = JSON.parse(readFileSync(stateFile(server), 'utf8')) as State;
  return alive(state.pid) ? state : null;
};

const writeState = (server: Server, state: State): void =>
  writeFileSync(stateFile(server), `${JSON.stringify(state, null, 2)}\n`);

const logTail = (server: Server): string =>
  existsSync(logFile(server))
    ? readFileSync(logFile(server), 'utf8').split('\n').slice(-30).join('\n')
    : '';

/** a detached child (it outlives the CLI and the jest worker), its output appended to the log */
const spawnDetached = (server: Server, command: string, args: string[]): number => {
  const out = openSync(logFile(server), 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  return child.pid!;
};

const waitUntil = async (
  server: Server,
  pid: number,
  answers: () => Promise<void>,
  timeoutMs: number,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive(pid)) throw new Error(`${server} exited during start:\n${logTail(server)}`);
    try {
      await answers();
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`${server} did not answer within ${timeoutMs} ms (${String(error)})`);
      }
    }
    await new Promise((wake) => setTimeout(wake, 250));
  }
};

const kafkaAnswers = (port: number) => async (): Promise<void> => {
  const admin = new Kafka({
    clientId: 'infra-probe',
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } finally {
    await admin.disconnect();
  }
};

const launchKafka = (): number => {
  const dir = serverDir('kafka');
  return spawnDetached('kafka', 'java', [
    // one small broker on a 2-core machine shared with the tests
    '-Xms128m',
    '-Xmx512m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    `-Dlog4j2.configurationFile=${join(__dirname, 'kafka', 'log4j2.properties')}`,
    '-cp',
    `${kafkaLibs}/*`,
    'kafka.Kafka',
    join(dir, 'server.properties'),
  ]);
};

export const startKafka = async (say: Say): Promise<State> => {
  const dir = serverDir('kafka');
  const [port, controllerPort] = [await freePort(), await freePort()];
  const data = join(dir, 'data');
  rmSync(data, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  rmSync(logFile('kafka'), { force: true });
  // single-node KRaft: this process is broker and controller; all on loopback
  writeFileSync(
    join(dir, 'server.properties'),
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      `log.dirs=${data}`,
      'offsets.topic.replication.factor=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      '',
    ].join('\n'),
  );
  // a KRaft cluster id is 16 random bytes, base64url without padding
  const clusterId = randomBytes(16).toString('base64url');
  execFileSync(
    'java',
    [
      `-Dlog4j2.configurationFile=${join(__dirname, 'kafka', 'log4j2.properties')}`,
      '-cp',
      `${kafkaLibs}/*`,
      'kafka.tools.StorageTool',
      'format',
      // one argument: a random id may start with '-', which would read as an option
      `--cluster-id=${clusterId}`,
      '-c',
      join(dir, 'server.properties'),
    ],
    { stdio: 'ignore' },
  );
  const since = Date.now();
  const pid = launchKafka();
  const state: State = { pid, port, controllerPort, startedAt: new Date().toISOString() };
  writeState('kafka', state);
  await waitUntil('kafka', pid, kafkaAnswers(port), 120_000);
  say(`kafka: ${kafkaVersion} answers on 127.0.0.1:${port} after ${seconds(since)}`);
  return state;
};

/** kill -9 of the running broker, for the relay's crash test; resolves once it is gone */
export const killKafka = async (): Promise<void> => {
  const state = readState('kafka');
  if (state === null) throw new Error('no broker of `npm run infra` runs');
  process.kill(state.pid, 'SIGKILL');
  while (alive(state.pid)) await new Promise((wake) => setTimeout(wake, 50));
};

/** starts the broker again on the same ports and data, after killKafka() */
export const restartKafka = async (): Promise<void> => {
  const state = JSON.parse(readFileSync(stateFile('kafka'), 'utf8')) as State;
  const pid = launchKafka();
  writeState('kafka', { ...state, pid, startedAt: new Date().toISOString() });
  await waitUntil('kafka', pid, kafkaAnswers(state.port), 120_000);
};

const mongoAnswers = (url: string) => async (): Promise<void> => {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 1_000 });
  try {
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close();
  }
};

export const mongoUrl = (port: number) => `mongodb://127.0.0.1:${port}/`;

export const startFerretDb = async (say: Say): Promise<State> => {
  const dir = serverDir('ferretdb');
  const data = join(dir, 'data');
  rmSync(data, { recursive: true, force: true });
  mkdirSync(data, { recursive: true });
  rmSync(logFile('ferretdb'), { force: true });
  const port = await freePort();
  const since = Date.now();
  const pid = spawnDetached('ferretdb', ferretDbBinary, [
    `--listen-addr=127.0.0.1:${port}`,
    `--sqlite-url=file:${data}/`,
  ]);
  const state: State = { pid, port, startedAt: new Date().toISOString() };
  writeState('ferretdb', state);
  await waitUntil('ferretdb', pid, mongoAnswers(mongoUrl(port)), 60_000);
  say(`ferretdb: ${ferretDbVersion} (SQLite) answers on 127.0.0.1:${port} after ${seconds(since)}`);
  return state;
};

export type Up = { env: Record<string, string>; started: Server[]; skipped: string[] };

/**
 * Fetches what is missing and starts what does not run; servers already running are reused.
 * With `ifAvailable`, a server whose toolchain is missing is skipped (and named) instead of failing.
 */
export const up = async (options: { ifAvailable?: boolean; say?: Say } = {}): Promise<Up> => {
  const say = options.say ?? ((line) => console.log(line));
  mkdirSync(infraDir, { recursive: true });
  const result: Up = { env: {}, started: [], skipped: [] };
  const servers: Server[] = ['kafka', 'ferretdb'];
  for (const server of servers) {
    let state = readState(server);
    if (state === null) {
      const missing = missingTools(server);
      if (missing !== null) {
        if (!options.ifAvailable) throw new Error(`${server}: ${missing}`);
        result.skipped.push(`${server} (${missing})`);
        continue;
      }
      mkdirSync(serverDir(server), { recursive: true });
      if (server === 'kafka') fetchKafka(say);
      else fetchFerretDb(say);
      state = server === 'kafka' ? await startKafka(say) : await startFerretDb(say);
      result.started.push(server);
    }
    if (server === 'kafka') result.env.KAFKA_BROKERS = `127.0.0.1:${state.port}`;
    else result.env.MONGO_URL = mongoUrl(state.port);
  }
  writeFileSync(
    envFile,
    Object.entries(result.env)
      .map(([name, value]) => `${name}=${value}\n`)
      .join(''),
  );
  return result;
};

export const stop = async (server: Server): Promise<boolean> => {
  const state = readState(server);
  rmSync(stateFile(server), { force: true });
  if (state === null) return false;
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (alive(state.pid)) {
    if (Date.now() > deadline) process.kill(state.pid, 'SIGKILL');
    await new Promise((wake) => setTimeout(wake, 100));
  }
  return true;
};

export const down = async (servers: Server[] = ['kafka', 'ferretdb']): Promise<Server[]> => {
  const stopped: Server[] = [];
  for (const server of servers) if (await stop(server)) stopped.push(server);
  if (readState('kafka') === null && readState('ferretdb') === null)
    rmSync(envFile, { force: true });
  return stopped;
};

export const status = (): string[] =>
  (['kafka', 'ferretdb'] as const).map((server) => {
    const state = readState(server);
    const version = server === 'kafka' ? kafkaVersion : ferretDbVersion;
    return state === null
      ? `${server}: not running`
      : `${server}: ${version} running (pid ${state.pid}) on 127.0.0.1:${state.port} since ${state.startedAt}, log ${logFile(server)}`;
  });

/** whether `KAFKA_BROKERS` names the broker of `npm run infra` (so a test may kill it) */
export const isManagedKafka = (brokers: string): boolean => {
  const state = readState('kafka');
  return state !== null && brokers === `127.0.0.1:${state.port}`;
};
