import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { type Role, mayCall, roles } from '@lead/runtime';
import { Public, Roles } from '../auth/api-key.guard';
import { ApiProblem } from './api-problems.decorator';

export const bearerScheme = 'bearer';

/**
 * Roles allowed on a route (enforced by ApiKeyGuard; admin may do everything), documented in
 * the same place so the OpenAPI document cannot drift from the guard: bearer auth, x-roles, and
 * the 401/403/429 problems.
 */
export const Authorized = (...allowed: Role[]) => {
  const everyone = roles.filter((role) => mayCall(role, allowed));
  return applyDecorators(
    Roles(...allowed),
    ApiBearerAuth(bearerScheme),
    ApiExtension('x-roles', everyone),
    ApiProblem(401),
    ...(everyone.length < roles.length
      ? [ApiProblem(403, `Only these roles may call it: ${everyone.join(', ')} (code forbidden).`)]
      : []),
    ApiProblem(429),
  );
};

/**
 * A route anyone may call, exempt from rate limiting: probes and scrapers must never be starved
 * by a busy client behind the same address.
 */
export const PublicEndpoint = () => applyDecorators(Public(), SkipThrottle());
