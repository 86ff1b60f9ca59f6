import { runCli } from './cli-program';
import { processContext } from './shared/cli-context';

// `npm run cli -- <command>`: runs from source through scripts/swc-register.js (no build step).

// A reader that stops early (`| head`) closes the pipe: stop quietly, like any Unix tool.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

runCli(process.argv.slice(2), processContext()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
