import { mkdirSync, statSync } from 'node:fs';
import { ConfigError } from './app-config';

/**
 * Creates DATA_DIR owner-only (0700). An existing folder others may read is not loosened nor
 * changed behind the operator's back: the answer carries a warning to print. A path that is not
 * a folder, or cannot be created, is a ConfigError naming DATA_DIR.
 */
export const prepareDataDir = (dataDir: string): { warning: string | null } => {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'EEXIST' || code === 'ENOTDIR'
        ? `DATA_DIR ${dataDir} is not a directory`
        : `DATA_DIR ${dataDir} cannot be created (${code ?? (error as Error).message})`,
    );
  }
  const stats = statSync(dataDir);
  if (!stats.isDirectory()) throw new ConfigError(`DATA_DIR ${dataDir} is not a directory`);
  const mode = stats.mode & 0o777;
  return {
    warning:
      mode & 0o077
        ? `DATA_DIR ${dataDir} may be read by others (mode ${mode.toString(8)}) and holds personal data; chmod 700 it`
        : null,
  };
};
