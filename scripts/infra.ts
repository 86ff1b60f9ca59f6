import { spawn } from 'node:child_process';
import { Command } from 'commander';
import { down, envFile, status, up } from '../test-infra/infra';
import { fuzzApi } from '../test-infra/fuzz-api';

// `npm run infra -- up|down|status|test|fuzz`: real Kafka and FerretDB on loopback, no Docker.
const program = new Command('infra').description(
  'Real Kafka and a MongoDB-protocol server (FerretDB) on free loopback ports, without Docker',
);

program
  .command('up')
  .description('fetch what is missing, start what does not run, print and write .infra/env')
  .option('--if-available', 'skip a server whose toolchain (java, mvn, go) is missing')
  .action(async (options: { ifAvailable?: boolean }) => {
    const result = await up({ ifAvailable: options.ifAvailable });
    for (const skipped of result.skipped) console.log(`skipped: ${skipped}`);
    for (const [name, value] of Object.entries(result.env)) console.log(`${name}=${value}`);
    console.log(`(written to ${envFile})`);
  });

program
  .command('down')
  .description('stop the servers that `up` started')
  .action(async () => {
    const stopped = await down();
    console.log(stopped.length > 0 ? `stopped: ${stopped.join(', ')}` : 'nothing was running');
  });

program
  .command('status')
  .description('say what runs')
  .action(() => status().forEach((line) => console.log(line)));

program
  .command('test')
  .description(
    'run jest with the servers up (started if missing, stopped after if this command started them)',
  )
  .allowUnknownOption()
  .helpOption(false)
  .argument('[jestArgs...]')
  .action(async (jestArgs: string[]) => {
    const result = await up({ ifAvailable: true, say: (line) => console.log(line) });
    for (const skipped of result.skipped) {
      console.log(`real-server suites for ${skipped} are skipped`);
    }
    let code = 1;
    try {
      // not spawnSync: the servers are this process' children, and a blocked event loop would
      // leave the broker the relay test kills as an unreaped zombie
      const jest = spawn(process.execPath, [require.resolve('jest/bin/jest'), ...jestArgs], {
        stdio: 'inherit',
        env: { ...process.env, ...result.env },
      });
      code = await new Promise<number>((resolve) =>
        jest.once('exit', (status) => resolve(status ?? 1)),
      );
    } finally {
      await down(result.started);
    }
    process.exitCode = code;
  });

program
  .command('fuzz')
  .description('schemathesis against /docs-json of the service on the real servers, once per role')
  .option('--max-examples <n>', 'cases per operation and role', '100')
  .option('--max-time <seconds>', 'time bound per role', '25')
  .option('--mode <mode>', 'positive, negative or all generated data', 'all')
  .option('--role <role...>', 'only these roles')
  .action(
    async (options: { maxExamples: string; maxTime: string; mode: string; role?: string[] }) => {
      process.exitCode = await fuzzApi({
        maxExamples: Number(options.maxExamples),
        maxTimeSeconds: Number(options.maxTime),
        mode: options.mode,
        roles: options.role,
      });
    },
  );

program.parseAsync().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
