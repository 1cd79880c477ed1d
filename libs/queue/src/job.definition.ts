import { SetMetadata } from '@nestjs/common';

export interface JobOptions {
  /** Attempts after the first; a crashed or failed job runs again up to this many times. */
  retryLimit: number;
  retryDelaySeconds: number;
  /**
   * How long one attempt may run. A worker that dies mid-job leaves it active; after this long
   * pg-boss expires it and hands it to another worker as a retry.
   */
  expireInSeconds: number;
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

export type PayloadOf<D> = D extends JobDefinition<infer P> ? P : never;

export const JOB_HANDLER_METADATA = 'brandshelf:job-handler';

/** Marks a service method as the one handler of a job; discovered at startup. */
export const JobHandler = (definition: JobDefinition<object>): MethodDecorator =>
  SetMetadata(JOB_HANDLER_METADATA, definition.name);

export interface JobContext {
  id: string;
  name: string;
  retryCount: number;
}
