// Everything a command touches outside itself, so tests run commands in-process with their own
// environment, captured output and a fixed clock.
export type CliOutput = NodeJS.WritableStream & { isTTY?: boolean };

export type CliContext = {
  env: NodeJS.ProcessEnv;
  stdout: CliOutput;
  stderr: CliOutput;
  now: () => Date;
};

/** A failure the user can act on: printed as `error: <message>`, never with a stack trace. */
export class CliError extends Error {
  override name = 'CliError';
}

export const processContext = (): CliContext => ({
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  now: () => new Date(),
});

export const writeLine = (output: CliOutput, line = ''): void => {
  output.write(`${line}\n`);
};
