import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { PublicEndpoint } from '../openapi/api-access.decorator';
import { Metrics } from './metrics';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @PublicEndpoint()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    summary: 'Prometheus metrics',
    description:
      'HTTP latency (http_request_duration_seconds), events appended by type, projection and relay lag in log positions, SLA breach alerts, parked (poison) events, and process metrics.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text exposition format 0.0.4',
    schema: { type: 'string' },
    example:
      '# HELP lead_projection_lag_positions Log head position minus the position the projection has committed\n# TYPE lead_projection_lag_positions gauge\nlead_projection_lag_positions{projection="lead-summary"} 0\n',
  })
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
