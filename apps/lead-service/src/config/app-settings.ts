import type { AppConfig } from '@lead/runtime';

// DI token for the loaded configuration.
export class AppSettings {
  constructor(readonly config: AppConfig) {}
}

// DI token for wall-clock time, so tests can fix it.
export abstract class Clock {
  abstract now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
