import 'reflect-metadata';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppError, JsonLogger, isUuid, loadConfig, systemBrandContext, type AppConfig } from '@brandshelf/core';
import {
  FeedEntity,
  IMAGE_FETCH,
  IngestionPipeline,
  RUN_STAGED,
  RunSourceService,
  RunsService,
  type IngestionRunEntity,
} from '@brandshelf/ingestion';
import { CODES } from '@brandshelf/catalog-rules';
import { NetError, SafeHttpClient } from '@brandshelf/net';
import { prepareRuntime, type Runtime } from '@brandshelf/runtime';
// The API's id codec: the CLI takes and prints the same global ids as the API, in either mode.
import { fromGlobalId, toGlobalId } from '../../api/src/graphql/global-id.js';
import { CliModule } from './cli.module.js';
import type { ProgressBar } from './progress-bar.js';
import { CliError, type RunReport } from './run-report.js';

/** What to do when local mode cannot open the database: the server on it is at this machine's PORT. */
export function clientModeHint(config: Pick<AppConfig, 'port'>): string {
  return (
    'If the Brandshelf server is running on this database, use client mode: ' +
    `--server http://localhost:${config.port} --key <apiKey> (or BRANDSHELF_SERVER and BRANDSHELF_API_KEY).`
  );
}

/**
 * Local mode: the pipeline in this process, on the database the settings name. The process also works
 * the queue's image and auto-publish jobs (only those), so a real ingest ends as the run does
 * (SUCCEEDED with its images processed, and published on an auto-publish feed) without an API or worker.
 */
export class LocalPipeline {
  private constructor(
    private readonly runtime: Runtime,
    private readonly app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {}

  static async open(): Promise<LocalPipeline> {
    const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env, RUN_WORKERS: 'false' });
    let runtime: Runtime;
    try {
      runtime = await prepareRuntime(
        config,
        new JsonLogger(config.logLevel, (line) => process.stderr.write(line + '\n')),
      );
    } catch (error) {
      throw new CliError(`${(error as Error).message}\n${clientModeHint(config)}`);
    }
    const app = await NestFactory.createApplicationContext(
      CliModule.forRuntime(runtime, [IMAGE_FETCH.name, RUN_STAGED.name]),
      { logger: false },
    );
    return new LocalPipeline(runtime, app, config);
  }

  async feeds(): Promise<{ id: string; brandId: string; name: string; source: string }[]> {
    const feeds = await this.runtime.dataSource.getRepository(FeedEntity).find({ order: { createdAt: 'ASC' } });
    return feeds.map((feed) => ({
      ...feed,
      id: toGlobalId('Feed', feed.id),
      brandId: toGlobalId('Brand', feed.brandId),
    }));
  }

  async ingest(
    feedId: string,
    target: { file: string; size: number } | { url: string } | { stdin: Readable },
    options: { name: string | null; validateOnly: boolean; progress: ProgressBar },
  ): Promise<RunReport> {
    const rawFeedId = fromGlobalId(feedId, 'Feed', 'feed');
    const feed = isUuid(rawFeedId)
      ? await this.runtime.dataSource.getRepository(FeedEntity).findOne({ where: { id: rawFeedId } })
      : null;
    if (!feed) throw new CliError(`No feed ${feedId}. List them with: npm run cli -- feeds`);
    const ctx = systemBrandContext(feed.brandId, 'cli');
    const sources = this.app.get(RunSourceService);
    const runs = this.app.get(RunsService);
    // Refused as an upload would be (a run of the feed already queued or running, the size limit, the quota):
    // the reason is printed, not a stack.
    let runId: string;
    try {
      await runs.refuseIfActive(ctx, feed.id);
      const size = 'file' in target ? target.size : undefined;
      const room = await sources.room(feed.brandId, size);
      const body =
        'url' in target
          ? (await this.app.get(SafeHttpClient).get(target.url, { maxBytes: room.maxBytes })).body
          : 'stdin' in target
            ? target.stdin
            : createReadStream(target.file);
      runId = await sources.receive(
        room,
        body,
        async (source) => {
          await runs.create(ctx, feed.id, {
            id: source.runId,
            trigger: 'CLI',
            sourceKey: source.key,
            sourceName: options.name,
            bytesTotal: source.bytes,
            validateOnly: options.validateOnly,
          });
          return source.runId;
        },
        { contentLength: size },
      );
    } catch (error) {
      if (error instanceof AppError) throw new CliError(`${error.code}: ${error.message}`);
      // A URL the CLI could not fetch: the code and hint a server's run would carry, not a stack.
      if (error instanceof NetError && 'url' in target) throw fetchFailed(error, target.url);
      throw error;
    }
    const staged = await this.app.get(IngestionPipeline).execute(runId, feed.brandId, {
      onProgress: (c) => options.progress.update(c),
      lastAttempt: true,
    });
    if (!staged) throw new CliError(`Run ${runId} vanished before it could start.`);
    // Staged, then images (phase IMAGES) and auto-publish on the queue, worked by this process.
    let last: IngestionRunEntity = staged;
    for await (const run of runs.watch(ctx, runId)) {
      last = run;
      options.progress.update(run);
    }
    return toReport(last);
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.runtime.close();
  }
}

function toReport(run: IngestionRunEntity): RunReport {
  return {
    ...run,
    // The id the API gives out (as client mode prints it), not the row's key.
    id: toGlobalId('IngestionRun', run.id),
    bytesTotal: run.bytesTotal === null ? null : Number(run.bytesTotal),
    bytesRead: Number(run.bytesRead),
    diff:
      run.itemsCreated === null
        ? null
        : {
            created: run.itemsCreated,
            updated: run.itemsUpdated ?? 0,
            unchanged: run.itemsUnchanged ?? 0,
            removed: run.itemsRemoved ?? 0,
          },
    error: run.errorCode ? { code: run.errorCode, message: run.errorMessage ?? '', hint: run.errorHint ?? '' } : null,
    issueSummary: run.issueSummary as RunReport['issueSummary'],
  };
}

function fetchFailed(error: NetError, url: string): CliError {
  const code = `FETCH_${error.code}` as const;
  const hint =
    error.code === 'BLOCKED_ADDRESS'
      ? `The CLI fetches through the same SSRF guard as the server. To fetch from a private or loopback host on ` +
        `purpose, name it in SSRF_ALLOW_HOSTS (SSRF_ALLOW_HOSTS=${new URL(url).hostname.replace(/^\[|\]$/g, '')}).`
      : CODES[code].hint;
  return new CliError(`${code}: Fetching the feed failed: ${error.message}\nhint: ${hint}`);
}
