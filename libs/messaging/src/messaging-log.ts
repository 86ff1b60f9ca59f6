import { Logger } from '@nestjs/common';

export type LogLevel = 'error' | 'warn' | 'log' | 'debug';

// Injected so tests stay quiet and can assert what was logged; defaults to Nest's Logger.
export type MessagingLog = (level: LogLevel, message: string) => void;

export const nestLog = (context: string): MessagingLog => {
  const logger = new Logger(context);
  return (level, message) => logger[level](message);
};

export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
