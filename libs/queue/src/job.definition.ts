import { SetMetadata } from '@nestjs/common';
import { runAsBrand, runAsSystem } from '@brandshelf/db';

export interface JobOptions {
  /** Attempts after the first; a crashed or failed job runs again up to this many times. */
  retryLimit: number;
  retryDelaySeconds: number;
  /**
   * How long one attempt may run. A worker that dies mid-job leaves it active; after this long
   * pg-boss expires it and hands it to another worker as a retry.
   */
  expireInSeconds: number;
  /**
   * Sent on this cron schedule (UTC, one minute at the finest) by pg-boss, once for the whole cluster however
   * many processes run; registered by the processes that consume every job.
   */
  cron?: string;
}

/** A typed job: its name and payload type travel together, so send and handle cannot disagree. */
export interface JobDefinition<P extends object> {
  readonly name: string;
  readonly options: JobOptions;
  /** Phantom field carrying the payload type; never set. */
  readonly payload?: P;
}

export function defineJob<P extends object>(name: string, options: Partial<JobOptions> = {}): JobDefinition<P> {
  if (!/^[a-z][a-z0-9.-]*$/.test(name)) throw new Error(`Job name "${name}" must be lowercase dotted words`);
  return {
    name,
    options: { retryLimit: 3, retryDelaySeconds: 5, expireInSeconds: 15 * 60, ...options },
  };
}

export const JOB_HANDLER_METADATA = 'brandshelf:job-handler';

/**
 * What a handler method may declare: nothing, the payload, or the payload and the job (either optional). Its
 * payload parameter must accept the definition's payload: a method's parameters are otherwise compared both
 * ways, which would let a handler expect a field that no sender sets.
 */
type AcceptsPayload<P, M> = M extends (...args: infer A) => Promise<unknown>
  ? A extends []
    ? unknown
    : A extends [(infer X)?, ...infer Rest]
      ? [P] extends [X]
        ? Rest extends []
          ? unknown
          : Rest extends [(infer J)?]
            ? [JobContext] extends [J]
              ? unknown
              : { jobMismatch: JobContext }
            : { tooManyParameters: never }
        : { payloadMismatch: P }
      : { tooManyParameters: never }
  : { notAsync: never };

/**
 * Marks a service method as the one handler of a job; discovered at startup. Typed by the definition: the
 * method must take the job's payload type (or nothing), so a handler and its senders cannot disagree.
 */
export function JobHandler<P extends object>(definition: JobDefinition<P>) {
  return <M extends (...args: never[]) => Promise<unknown>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M> & AcceptsPayload<P, M>,
  ): void => {
    // The handler runs in its job's database scope however it is called (the queue, or a test calling it directly):
    // its brand's (payload.brandId) or a system path named for the job (libs/db tenancy.ts).
    const handler = descriptor.value as unknown as (...args: unknown[]) => Promise<unknown>;
    descriptor.value = function (this: unknown, ...args: unknown[]) {
      return inJobScope(definition.name, args[0], () => handler.apply(this, args));
    } as unknown as M;
    SetMetadata(JOB_HANDLER_METADATA, definition.name)(target, key, descriptor);
  };
}

/**
 * The database scope a job runs in (row-level security, libs/db tenancy.ts): a job for one brand (its payload names
 * `brandId`) sees only that brand's rows; a job without one (the schedule ticks) is a system path named for the job.
 */
export function inJobScope<T>(name: string, payload: unknown, fn: () => Promise<T>): Promise<T> {
  const brandId = (payload as { brandId?: unknown } | undefined)?.brandId;
  return typeof brandId === 'string' ? runAsBrand(brandId, fn) : runAsSystem(`job:${name}`, fn);
}

export interface JobContext {
  id: string;
  name: string;
  retryCount: number;
  /**
   * Aborted when the process shuts down and stops waiting for the job (SHUTDOWN_TIMEOUT_MS less the time kept for
   * handing jobs back). A handler that can put its work back (an ingestion run) does so and returns; one that
   * ignores it is failed back to the queue if it has not ended by the shutdown's deadline.
   */
  signal?: AbortSignal;
}
