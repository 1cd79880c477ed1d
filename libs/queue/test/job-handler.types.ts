/**
 * Compile-time checks of @JobHandler's typing (`npm run typecheck` compiles this file; nothing runs it): each
 * `@ts-expect-error` fails the typecheck if the line below it ever compiles.
 */
import { defineJob, JobHandler, type JobContext } from '@brandshelf/queue';

const RUN = defineJob<{ runId: string; brandId: string }>('types.run');

export class Handlers {
  @JobHandler(RUN) async none(): Promise<void> {}

  @JobHandler(RUN) async payload(payload: { runId: string; brandId: string }): Promise<string> {
    return payload.runId;
  }

  @JobHandler(RUN) async fewerFields(payload: { runId: string }, job: JobContext): Promise<string> {
    return payload.runId + job.id;
  }

  // @ts-expect-error the payload has no imageId
  @JobHandler(RUN) async otherPayload(payload: { imageId: string }): Promise<void> {
    void payload;
  }

  // @ts-expect-error no sender sets `extra`
  @JobHandler(RUN) async extraField(payload: { runId: string; brandId: string; extra: number }): Promise<void> {
    void payload;
  }

  // @ts-expect-error the second parameter is the job
  @JobHandler(RUN) async wrongJob(payload: { runId: string }, job: { attempts: number }): Promise<void> {
    void [payload, job];
  }

  // @ts-expect-error a handler returns a promise
  @JobHandler(RUN) sync(): void {}
}
