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

  // issue 10: submitted before the deferred script ran, the form put the token in a logged GET URL
  it('never put the token into a URL: its input has no name, the form submits nowhere', () => {
    const { html, script } = loadDashboardAssets();
    const form = /<form[^>]*id="token-form"[^>]*>([\s\S]*?)<\/form>/.exec(html);
    expect(form).not.toBeNull();
    expect(form![0]).not.toMatch(/\saction=/);
    expect(form![1]).not.toMatch(/<input[^>]*\sname=/);
    expect(script).toMatch(/'submit', \(event\) => \{\s*event\.preventDefault\(\);/);
  });
});
