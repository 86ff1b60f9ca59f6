import 'reflect-metadata';
import { createApp } from './app';
import { ConfigError, loadConfig } from '@lead/runtime';
import { startBanner } from './start-banner';

const main = async (): Promise<void> => {
  const config = loadConfig();
  const app = await createApp({ config });
  await app.listen({ port: config.port, host: '0.0.0.0' });
  console.log(startBanner(config, `http://localhost:${config.port}`));
};

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : error);
  process.exit(1);
});
