import 'reflect-metadata';
import { createApp } from './app';
import { ConfigError, loadConfig } from '@lead/runtime';

const main = async (): Promise<void> => {
  const config = loadConfig();
  const app = await createApp({ config });
  await app.listen({ port: config.port, host: '0.0.0.0' });
  const url = `http://localhost:${config.port}`;
  const lines = [`lead-service listening on ${url} (data in ${config.dataDir})`];
  if (config.devTokens) {
    lines.push('development tokens (API_KEYS unset; never in production):');
    for (const key of config.apiKeys)
      lines.push(`  ${key.role.padEnd(9)} Authorization: Bearer ${key.token}`);
  }
  console.log(lines.join('\n'));
};

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : error);
  process.exit(1);
});
