import 'reflect-metadata';
import { createApp } from './app';
import { ConfigError, loadConfig, prepareDataDir, usesDataDir } from '@lead/runtime';
import { startBanner } from './start-banner';

const main = async (): Promise<void> => {
  const config = loadConfig();
  // checked before the app starts, so a bad DATA_DIR is one line naming it
  if (usesDataDir(config)) {
    const { warning } = prepareDataDir(config.dataDir);
    if (warning) console.warn(`warning: ${warning}`);
  }
  const app = await createApp({ config });
  await app.listen({ port: config.port, host: '0.0.0.0' });
  console.log(startBanner(config, `http://localhost:${config.port}`));
};

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : error);
  process.exit(1);
});
