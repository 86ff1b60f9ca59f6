import { runCli } from './cli-program';
import { processContext } from './shared/cli-context';

// `npm run cli -- <command>`: runs from source through ../swc-register.js (no build step).
runCli(process.argv.slice(2), processContext()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
