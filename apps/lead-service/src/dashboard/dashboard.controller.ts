import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/api-key.guard';

export type DashboardAssets = { html: string; script: string; styles: string; chartJs: string };

// The static files live in apps/lead-service/dashboard; from src (jest, ts-node) and from
// dist/apps/lead-service/src (nest build) alike, walking up finds them.
export const findDashboardDir = (start: string = __dirname): string => {
  for (let dir = start; ; dir = dirname(dir)) {
    for (const candidate of [join(dir, 'dashboard'), join(dir, 'apps/lead-service/dashboard')]) {
      if (existsSync(join(candidate, 'index.html'))) return candidate;
    }
    if (dirname(dir) === dir) throw new Error(`dashboard files not found above ${start}`);
  }
};

export const loadDashboardAssets = (dir: string = findDashboardDir()): DashboardAssets => {
  const read = (path: string) => readFileSync(path, 'utf8');
  // chart.js exports no subpaths; its main entry sits in dist/ beside the UMD bundle
  const chartDist = dirname(require.resolve('chart.js'));
  return {
    html: read(join(dir, 'index.html')),
    script: read(join(dir, 'dashboard.js')),
    styles: read(join(dir, 'dashboard.css')),
    chartJs: read(join(chartDist, 'chart.umd.js')),
  };
};

// Scripts and styles from this origin only: no inline code, no CDN.
export const dashboardCsp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const javascript = 'text/javascript; charset=utf-8';

// A static page over the public API: the token is entered in the browser, so the page itself
// is public. Files are read once at start.
@ApiExcludeController()
@Controller('dashboard')
@Public()
export class DashboardController {
  private readonly assets = loadDashboardAssets();

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', dashboardCsp)
  @Header('Cache-Control', 'no-cache')
  page(): string {
    return this.assets.html;
  }

  @Get('dashboard.js')
  @Header('Content-Type', javascript)
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return this.assets.script;
  }

  @Get('dashboard.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  styles(): string {
    return this.assets.styles;
  }

  @Get('chart.umd.js')
  @Header('Content-Type', javascript)
  @Header('Cache-Control', 'public, max-age=86400')
  chartJs(): string {
    return this.assets.chartJs;
  }
}
