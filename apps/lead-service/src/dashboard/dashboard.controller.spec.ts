import { join } from 'node:path';
import { dashboardCsp, findDashboardDir, loadDashboardAssets } from './dashboard.controller';

const appDir = join(__dirname, '../..');
const repoRoot = join(appDir, '../..');

describe('dashboard assets', () => {
  it('are found from the sources and from the nest build output alike', () => {
    const expected = join(appDir, 'dashboard');
    expect(findDashboardDir(__dirname)).toBe(expected);
    expect(findDashboardDir(join(repoRoot, 'dist/apps/lead-service/src/dashboard'))).toBe(expected);
  });

  it('fail loudly when the files are missing', () => {
    expect(() => findDashboardDir('/')).toThrow('dashboard files not found above /');
  });

  it('load the page, its script and styles, and the Chart.js UMD bundle', () => {
    const assets = loadDashboardAssets();
    expect(assets.html).toContain('<script src="/dashboard/dashboard.js" defer></script>');
    expect(assets.script).toContain("'use strict'");
    expect(assets.styles).toContain('.panel');
    // the UMD build defines the `Chart` global the page uses
    expect(assets.chartJs).toMatch(/^\/\*![\s\S]*Chart\.js v4/);
  });

  it('allow scripts from this origin only', () => {
    expect(dashboardCsp).toContain("script-src 'self'");
    expect(dashboardCsp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
  });
});
