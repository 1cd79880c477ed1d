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
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@brandshelf/testing';

const PING = defineJob<{ n: number }>('test.ping', { retryDelaySeconds: 0, retryLimit: 3 });
const PONG = defineJob<{ n: number }>('test.pong');
const FAIR = defineJob<{ brand: string; n: number }>('test.fair', { retryDelaySeconds: 0, retryLimit: 2 });

async function boot(
  definitions: JobDefinition<object>[],
  providers: unknown[],
  connectionString: string,
  shutdownTimeoutMs = 200,
  consume = true,
) {
  @Module({
    imports: [
      QueueModule.forRoot({
        connectionString,
        definitions,
        consume,
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

    it('runNextExcept runs the oldest waiting job of another brand with its handler, and completes or fails it', async () => {
      const ran: string[] = [];
      @Injectable()
      class Fair {
        @JobHandler(FAIR) async fair(payload: { brand: string; n: number }): Promise<void> {
          ran.push(`${payload.brand}${payload.n}`);
          if (payload.brand === 'C') throw new Error('C is broken');
        }
      }
      // Nothing consumes here, so only runNextExcept takes jobs.
      const app = await boot([FAIR], [Fair], db.url, 200, false);
      try {
        const queue = app.get(QueueService);
        for (const [brand, n] of [
          ['A', 1],
          ['B', 1],
          ['A', 2],
          ['B', 2],
          ['C', 1],
        ] as const) {
          await queue.send(FAIR, { brand, n });
        }
        expect(await queue.runNextExcept(FAIR, 'brand', ['A'])).toBe(true);
        expect(ran).toEqual(['B1']);
        expect(await queue.runNextExcept(FAIR, 'brand', ['A', 'B'])).toBe(true);
        expect(ran).toEqual(['B1', 'C1']);
        expect(await queue.liveJobs(FAIR, { brand: 'C' })).toBe(1); // failed, to be retried
        expect(await queue.liveJobs(FAIR, { brand: 'B', n: 1 })).toBe(0); // completed
        expect(await queue.runNextExcept(FAIR, 'brand', ['A', 'B', 'C'])).toBe(false);
        expect(ran).toEqual(['B1', 'C1']);
        expect(await queue.liveJobs(FAIR, { brand: 'A' })).toBe(2);
      } finally {
        await app.close();
      }
    }, 60_000);

    it('sends a job with a cron from one schedule, however many processes register it, and unschedules it', async () => {
      const TICK = defineJob<object>('test.tick', { retryLimit: 0, cron: '* * * * *' });
      let ticked!: () => void;
      const firstTick = new Promise<void>((resolve) => (ticked = resolve));
      @Injectable()
      class Ticker {
        @JobHandler(TICK) async tick(): Promise<void> {
          ticked();
        }
      }
      const schedules = async (): Promise<number> => {
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        try {
          const result = await client.query(`SELECT count(*)::int AS n FROM pgboss.schedule WHERE name = 'test.tick'`);
          return result.rows[0].n;
        } finally {
          await client.end();
        }
      };
      const first = await boot([TICK], [Ticker], db.url);
      const second = await boot([TICK], [Ticker], db.url);
      try {
        // A minute schedule is due at once: the first clock check sends it, one of the processes runs it.
        await firstTick;
        expect(await schedules()).toBe(1);
      } finally {
        await second.close();
        await first.close();
      }
      // A job that no longer has a cron is unscheduled by the next process that starts.
      const plain = defineJob<object>('test.tick', { retryLimit: 0 });
      const third = await boot([plain], [Ticker], db.url);
      try {
        expect(await schedules()).toBe(0);
      } finally {
        await third.close();
      }
    }, 120_000);

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
