import type { AppConfig } from '@lead/runtime';

// The first thing a new user reads: where the service is, how to call it, where to look.
export const startBanner = (config: AppConfig, url: string): string => {
  const lines = [
    `lead-service listening on ${url} (data in ${config.dataDir})`,
    `  API docs     ${url}/docs  (OpenAPI JSON: ${url}/docs-json)`,
    `  dashboard    ${url}/dashboard`,
    `  health       ${url}/health    metrics ${url}/metrics`,
  ];
  if (config.devTokens) {
    lines.push('development tokens (API_KEYS unset; never in production):');
    for (const key of config.apiKeys)
      lines.push(`  ${key.role.padEnd(17)} Authorization: Bearer ${key.token}`);
    lines.push(
      `try: curl -s ${url}/leads -H 'Authorization: Bearer dev-analyst'`,
      'demo data: npm run cli -- seed-demo --leads 2000, then open the dashboard',
    );
  }
  return lines.join('\n');
};
