import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Body, Controller, HttpCode, type INestApplication, Module, Param, Post } from '@nestjs/common';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@lead/runtime';
import { bodyLimitBytes, createApp } from '../../apps/lead-service/src/app';
import { exitOnRequest, failChild, reportToParent } from '../lib/child';

// The server side of the HTTP scenario, in its own process so autocannon (in the parent) and the
// server each get a core. `app` is the real lead-service on a fresh DATA_DIR; `bare` is the
// baseline: a NestJS route on the same Fastify adapter that parses the body and answers the same
// shape, with no validation, auth, domain or store. `bare` also serves POST /durable/leads: the
// same route plus one row inserted in its own WAL + synchronous=FULL transaction, the least any
// durable command costs here (an fsync that blocks the event loop). `node` is the floor under
// both: a bare node:http server that reads the JSON body and answers the same JSON, no framework.

const durableLog = (() => {
  let insert: Database.Statement<[string, string]> | null = null;
  return {
    open: (path: string) => {
      const db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.exec('CREATE TABLE events (position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, data TEXT NOT NULL)');
      insert = db.prepare('INSERT INTO events (event_id, data) VALUES (?, ?)');
    },
    append: (data: unknown): number => Number(insert!.run(uuidv7(), JSON.stringify(data)).lastInsertRowid),
  };
})();

@Controller('leads')
class BareController {
  private position = 0;

  @Post()
  @HttpCode(201)
  capture(@Body() body: Record<string, unknown>) {
    return { leadId: typeof body.leadId === 'string' ? body.leadId : 'bare', revision: 0, position: String(++this.position) };
  }

  @Post('durable/leads')
  @HttpCode(201)
  durableCapture(@Body() body: Record<string, unknown>) {
    return { leadId: 'bare', revision: 0, position: String(durableLog.append(body)) };
  }

  @Post(':id/score')
  @HttpCode(200)
  score(@Param('id') leadId: string, @Body() body: Record<string, unknown>) {
    return { leadId, revision: Number(body.score), position: String(++this.position) };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

const startBare = async (): Promise<INestApplication> => {
  const app = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter({ bodyLimit: bodyLimitBytes }), {
    logger: false,
  });
  await app.init();
  return app;
};

const startNodeHttp = async (): Promise<{ url: string; close: () => Promise<void> }> => {
  let position = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      response.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
      response.end(
        JSON.stringify({ leadId: typeof body.leadId === 'string' ? body.leadId : 'bare', revision: 0, position: String(++position) }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const main = async (): Promise<void> => {
  const mode = process.argv[2];
  if (mode === 'node') {
    const server = await startNodeHttp();
    exitOnRequest(server.close);
    reportToParent({ type: 'listening', url: server.url });
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-http-'));
  if (mode === 'bare') durableLog.open(join(dataDir, 'durable.sqlite'));
  const app =
    mode === 'bare'
      ? await startBare()
      : await createApp({
          // the limiter still runs on every request (its cost is measured); it never refuses one
          config: loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '1000000' }),
        });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  exitOnRequest(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  reportToParent({ type: 'listening', url: `http://127.0.0.1:${address.port}` });
};

main().catch(failChild);
