import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  defineJob,
  JobHandler,
  JobHandlerRegistryError,
  QueueModule,
  QueueService,
  type JobDefinition,
} from '@brandshelf/queue';
import { createTestDatabase, type TestDatabase } from '@brandshelf/testing';

const PING = defineJob<{ n: number }>('test.ping', { retryDelaySeconds: 0, retryLimit: 3 });
const PONG = defineJob<{ n: number }>('test.pong');

async function boot(
  definitions: JobDefinition<object>[],
  providers: unknown[],
  connectionString: string,
  shutdownTimeoutMs = 200,
) {
  @Module({
    imports: [
      QueueModule.forRoot({
        connectionString,
        definitions,
        consume: true,
        concurrency: 1,
        shutdownTimeoutMs,
        pollingIntervalSeconds: 0.5,
      }),
    ],
    providers: providers as never[],
  })
  class TestModule {}
  const app = await NestFactory.createApplicationContext(TestModule, { logger: false });
  await app.init();
  return app;
}

describe('typed jobs on pg-boss', () => {
  it('refuses to start when a job has no handler', async () => {
    @Injectable()
    class OnlyPing {
      @JobHandler(PING) async ping(): Promise<void> {}
    }
    await expect(boot([PING, PONG], [OnlyPing], 'postgres://unused@127.0.0.1:1/x')).rejects.toThrow(
      /job "test.pong" has no @JobHandler/,
    );
  });

  it('refuses to start when a job has two handlers', async () => {
    @Injectable()
    class First {
      @JobHandler(PING) async ping(): Promise<void> {}
    }
    @Injectable()
    class Second {
      @JobHandler(PING) async alsoPing(): Promise<void> {}
    }
    const attempt = boot([PING], [First, Second], 'postgres://unused@127.0.0.1:1/x');
    await expect(attempt).rejects.toBeInstanceOf(JobHandlerRegistryError);
    await expect(boot([PING], [First, Second], 'postgres://unused@127.0.0.1:1/x')).rejects.toThrow(
      /has 2 handlers: First.ping, Second.alsoPing/,
    );
  });

  describe('on a real database', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    }, 60_000);
    afterAll(async () => {
      await db?.drop();
    });

    it('hands a job left unfinished at shutdown to the next worker', async () => {
      let started!: () => void;
      const startedOnFirst = new Promise<void>((resolve) => (started = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      @Injectable()
      class Stuck {
        @JobHandler(PING) async ping(): Promise<void> {
          started();
          await released; // outlives the shutdown timeout, like a worker that hangs
        }
      }
      const first = await boot([PING], [Stuck], db.url);
      const jobId = await first.get(QueueService).send(PING, { n: 42 });
      expect(jobId).toBeTruthy();
      await startedOnFirst;
      await first.close();

      let done!: (value: { n: number; retryCount: number }) => void;
      const handled = new Promise<{ n: number; retryCount: number }>((resolve) => (done = resolve));
      @Injectable()
      class Healthy {
        @JobHandler(PING) async ping(payload: { n: number }, job: { retryCount: number }): Promise<void> {
          done({ n: payload.n, retryCount: job.retryCount });
        }
      }
      const second = await boot([PING], [Healthy], db.url);
      try {
        const result = await handled;
        expect(result.n).toBe(42);
        expect(result.retryCount).toBeGreaterThanOrEqual(1);
      } finally {
        await second.close();
        release();
        await new Promise((resolve) => setTimeout(resolve, 1500)); // let the released first worker's loop wind down
      }
    }, 60_000);
  });
});
