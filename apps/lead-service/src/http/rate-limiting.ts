import { createHash } from 'node:crypto';
import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import type { AppConfig } from '@lead/runtime';
import { RateLimitStorage } from './rate-limit-storage';

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

type TrackedRequest = { ip?: string; headers: Record<string, string | string[] | undefined> };

/**
 * One budget per caller across all routes: per API key when the request carries a known token,
 * else per client IP. Unknown tokens share their IP's budget, so guessing tokens is limited too.
 */
export const rateLimitTracker = (config: AppConfig) => {
  const keys = new Map(config.apiKeys.map((key) => [digest(key.token), key]));
  return (request: TrackedRequest): string => {
    const match = /^Bearer (\S{1,512})$/.exec(String(request.headers.authorization ?? ''));
    const key = match ? keys.get(digest(match[1])) : undefined;
    return key ? `key:${key.role}:${key.actorId}` : `ip:${request.ip ?? 'unknown'}`;
  };
};

export const throttlerOptions = (config: AppConfig): ThrottlerModuleOptions => {
  const tracker = rateLimitTracker(config);
  return {
    throttlers: [{ name: 'default', ttl: 60_000, limit: config.rateLimitPerMinute }],
    storage: new RateLimitStorage(),
    getTracker: (request) => tracker(request as TrackedRequest),
    // the default key adds the controller and handler: that would be a budget per route
    generateKey: (_context, tracked, name) => `${name}:${tracked}`,
    errorMessage: (_context, { limit, timeToBlockExpire }) =>
      `rate limit of ${limit} requests per minute exceeded; retry in ${timeToBlockExpire} s`,
  };
};
