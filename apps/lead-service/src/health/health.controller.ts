import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { PublicEndpoint } from '../openapi/api-access.decorator';
import { Readiness } from './readiness';

const indicator = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['up', 'down'] } },
  additionalProperties: true,
};
const indicators = { type: 'object', additionalProperties: indicator };
const healthSchema = {
  type: 'object',
  required: ['status', 'details'],
  properties: {
    status: { type: 'string', enum: ['ok', 'error'] },
    info: { ...indicators, description: 'the checks that are up' },
    error: { ...indicators, description: 'the checks that are down' },
    details: { ...indicators, description: 'every check' },
  },
};
const ready = {
  eventStore: { status: 'up', head: '1042' },
  readStore: { status: 'up', parkedEvents: 0 },
  projections: { status: 'up', position: '1042', lag: '0' },
};
const notReady = {
  ...ready,
  projections: {
    status: 'down',
    position: '980',
    lag: '62',
    message: 'the projector has not moved for 75 s while events wait',
  },
};

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: Readiness,
  ) {}

  @Get()
  @PublicEndpoint()
  @ApiOperation({
    summary: 'Readiness',
    description:
      'The event store and read store answer, the last append was stored (else eventStore names the write failure), the projector is not retrying a batch the read store refused (else projections names the cause, since when and the attempts) and it (and the Kafka relay when KAFKA_BROKERS is set: key broker) is not stuck behind the log. 503 when any check is down.',
  })
  @ApiOkResponse({
    schema: healthSchema,
    example: { status: 'ok', info: ready, error: {}, details: ready },
  })
  @ApiServiceUnavailableResponse({
    description: 'a check is down',
    schema: healthSchema,
    example: {
      status: 'error',
      info: { eventStore: ready.eventStore, readStore: ready.readStore },
      error: { projections: notReady.projections },
      details: notReady,
    },
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check(this.readiness.checks());
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }

  @Get('live')
  @PublicEndpoint()
  @ApiOperation({
    summary: 'Liveness',
    description: 'The process serves HTTP; it touches no store, so a slow store never restarts it.',
  })
  @ApiOkResponse({
    schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } },
    example: { status: 'ok' },
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
