import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, prepareDataDir, usesDataDir } from '@lead/runtime';
import { WorkerModule } from './worker.module';

const main = async (): Promise<void> => {
  const config = loadConfig();
  // checked before the app starts, so a bad DATA_DIR is one line naming it
  if (usesDataDir(config)) {
    const { warning } = prepareDataDir(config.dataDir);
    if (warning) console.warn(`warning: ${warning}`);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.register(config));
  app.enableShutdownHooks();
};

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : error);
  process.exit(1);
});
