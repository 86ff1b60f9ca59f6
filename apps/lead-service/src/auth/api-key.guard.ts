import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  createParamDecorator,
} from '@nestjs/common';
import { ApplicationError } from '../http/application-error';
import { Reflector } from '@nestjs/core';
import type { Actor } from '@lead/event-store';
import type { FastifyRequest } from 'fastify';
import { AppSettings } from '../config/app-settings';
import type { ApiKey, Role } from '@lead/runtime';

const rolesKey = 'roles';
const publicKey = 'public';

/** Roles allowed on a route; admin may do everything. */
export const Roles = (...allowed: Role[]) => SetMetadata(rolesKey, allowed);
/** A route anyone may call (health, metrics, docs). */
export const Public = () => SetMetadata(publicKey, true);

type AuthenticatedRequest = FastifyRequest & { actor?: Actor };

// The actor in every event comes from here, never from a request body.
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without authentication');
  return actor;
});

const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: { digest: Buffer; key: ApiKey }[];

  constructor(
    private readonly reflector: Reflector,
    settings: AppSettings,
  ) {
    this.keys = settings.config.apiKeys.map((key) => ({ digest: digest(key.token), key }));
  }

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(publicKey, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = this.authenticate(request.headers.authorization);
    const allowed = this.reflector.getAllAndOverride<Role[]>(rolesKey, targets) ?? [];
    if (key.role !== 'admin' && !allowed.includes(key.role)) {
      throw new ApplicationError(
        'forbidden',
        `role ${key.role} may not call this endpoint (allowed: ${[...allowed, 'admin'].join(', ')})`,
      );
    }
    request.actor = { id: key.actorId, role: key.role };
    return true;
  }

  // Compares digests in constant time against every key, so timing reveals nothing about which
  // (or whether a) key matched. Tokens are never logged.
  private authenticate(header: string | undefined): ApiKey {
    const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header ?? '');
    if (!match) {
      throw new ApplicationError('unauthenticated', 'send Authorization: Bearer <token>');
    }
    const presented = digest(match[1]);
    let found: ApiKey | null = null;
    for (const candidate of this.keys) {
      if (timingSafeEqual(candidate.digest, presented)) found = candidate.key;
    }
    if (!found)
      throw new ApplicationError('unauthenticated', 'unknown token');
    return found;
  }
}
