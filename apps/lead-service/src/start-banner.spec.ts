import { loadConfig } from '@lead/runtime';
import { startBanner } from './start-banner';

describe('startBanner', () => {
  it('shows the URL, the docs and dashboard links and, outside production, the dev tokens', () => {
    const banner = startBanner(loadConfig({ DATA_DIR: '/tmp/d' }), 'http://localhost:3000');
    expect(banner).toContain('lead-service listening on http://localhost:3000 (data in /tmp/d)');
    expect(banner).toContain('http://localhost:3000/docs');
    expect(banner).toContain('http://localhost:3000/dashboard');
    for (const role of ['marketing', 'sales', 'analyst', 'auditor', 'admin'])
      expect(banner).toMatch(new RegExp(`${role} +Authorization: Bearer dev-${role}\n`));
    expect(banner).toMatch(/marketing_manager +Authorization: Bearer dev-marketing-manager\n/);
    expect(banner).toMatch(/sales_manager +Authorization: Bearer dev-sales-manager\n/);
  });

  it('never prints configured tokens', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      API_KEYS: 's3cret-s3cret-s3cret-s3cret-s3cret:admin:root',
    });
    const banner = startBanner(config, 'http://localhost:3000');
    expect(banner).toContain('/docs');
    expect(banner).not.toContain('s3cret');
    expect(banner).not.toContain('Bearer');
  });
});
