import { Controller, Get } from '@nestjs/common';
import { EventStore } from '@lead/event-store';
import { Public } from '../auth/api-key.guard';

@Controller('health')
export class HealthController {
  constructor(private readonly store: EventStore) {}

  @Get()
  @Public()
  async health(): Promise<{ status: 'ok'; eventStore: { head: string } }> {
    const head = await this.store.headPosition();
    return { status: 'ok', eventStore: { head: head.toString() } };
  }
}
