import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const registerPath = join(__dirname, '..', '..', 'scripts', 'swc-register.js');

export type ChildMessage = { type: string } & Record<string, unknown>;

export type ChildHandle = {
  pid: number;
  /** the next message of this type (earlier messages of other types are kept) */
  next<M extends ChildMessage>(type: string, timeoutMs?: number): Promise<M>;
  send(message: ChildMessage): void;
  /** peak resident set so far, from /proc/<pid>/status (VmHWM), in MiB */
  peakRssMb(): number;
  /** waits for exit, killing the child after `timeoutMs` */
  stop(timeoutMs?: number): Promise<void>;
};

export type ChildOptions = {
  /** write a V8 CPU profile of the child into this directory */
  cpuProfileDir?: string;
  /** the child's stdout and stderr are shown only when this is set (they are noisy) */
  verbose?: boolean;
  env?: NodeJS.ProcessEnv;
};

const statusField = (pid: number, field: string): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
};

/**
 * Runs a bench child (a .ts file loaded through the swc register) that talks over IPC. Children
 * isolate what must not share the bench's process: a server under load, a peer that may crash,
 * and anything whose peak RSS is measured.
 */
export const startChild = (script: string, args: string[], options: ChildOptions = {}): ChildHandle => {
  const execArgv = ['-r', registerPath];
  if (options.cpuProfileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  const child: ChildProcess = fork(script, args, {
    execArgv,
    env: { ...process.env, ...options.env },
    stdio: options.verbose ? ['ignore', 'inherit', 'inherit', 'ipc'] : ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const inbox: ChildMessage[] = [];
  const waiting: { type: string; resolve: (message: ChildMessage) => void; reject: (error: Error) => void }[] = [];
  let exited: Error | null = null;
  const exit = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = new Error(`${script} exited (code ${code}, signal ${signal})${stderr ? `:\n${stderr}` : ''}`);
      for (const waiter of waiting.splice(0)) waiter.reject(exited);
      resolve();
    });
  });
  child.on('message', (message: ChildMessage) => {
    if (message.type === 'error') {
      const error = new Error(`${script}: ${String(message.message)}`);
      for (const waiter of waiting.splice(0)) waiter.reject(error);
      return;
    }
    const index = waiting.findIndex((waiter) => waiter.type === message.type);
    if (index >= 0) waiting.splice(index, 1)[0].resolve(message);
    else inbox.push(message);
  });

  return {
    pid: child.pid!,
    next: <M extends ChildMessage>(type: string, timeoutMs = 600_000) => {
      const index = inbox.findIndex((message) => message.type === type);
      if (index >= 0) return Promise.resolve(inbox.splice(index, 1)[0] as M);
      if (exited) return Promise.reject(exited);
      return new Promise<M>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${script}: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
        waiting.push({
          type,
          resolve: (message) => {
            clearTimeout(timer);
            resolve(message as M);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
      });
    },
    send: (message) => {
      if (!exited) child.send(message);
    },
    peakRssMb: () => statusField(child.pid!, 'VmHWM'),
    stop: async (timeoutMs = 30_000) => {
      if (exited) return;
      child.send({ type: 'exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exit;
      clearTimeout(timer);
    },
  };
};

/** Child side: report to the parent, and exit when told to. */
export const reportToParent = (message: ChildMessage): void => {
  process.send?.(message);
};

export const onParent = (type: string, handle: (message: ChildMessage) => void | Promise<void>): void => {
  process.on('message', (message: ChildMessage) => {
    if (message.type !== type) return;
    Promise.resolve(handle(message)).catch(failChild);
  });
};

export const failChild = (error: unknown): void => {
  process.send?.({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  // let the IPC message flush before exiting
  setTimeout(() => process.exit(1), 100);
};

/** Standard exit handling: the parent sends {type: 'exit'} when it has read what it needs. */
export const exitOnRequest = (cleanup: () => Promise<void> | void = () => undefined): void => {
  onParent('exit', async () => {
    await cleanup();
    // exit through the normal path so --cpu-prof writes its profile
    process.disconnect?.();
    process.exit(0);
  });
};
