import {
  applyDecorators,
  Injectable,
  SetMetadata,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthenticatedError } from '@brandshelf/core';
import { contextOf } from './request-context.decorator.js';

type Audience = 'brand' | 'creator' | 'any';
const AUDIENCE = 'brandshelf:audience';

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(execution: ExecutionContext): boolean {
    const audience = this.reflector.getAllAndOverride<Audience>(AUDIENCE, [
      execution.getHandler(),
      execution.getClass(),
    ]);
    const { context, authError } = contextOf(execution);
    const kind = context.principal.kind;
    if (kind === 'anonymous') throw authError ?? new UnauthenticatedError();
    if (audience !== 'any' && audience !== kind) {
      throw new ForbiddenError(`This operation is for ${audience} accounts; the API key belongs to a ${kind}.`);
    }
    return true;
  }
}

/** Requires an API key of the given kind of account. Brand operations then act only on that brand's rows. */
export const Auth = (audience: Audience = 'any') =>
  applyDecorators(SetMetadata(AUDIENCE, audience), UseGuards(AuthGuard));
