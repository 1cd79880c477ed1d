import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { ServerClient } from './client.js';
import { ProgressBar } from './progress-bar.js';
import { CliError, EXIT, UsageError, exitCodeOf, summaryLines, type RunReport } from './run-report.js';
import { runAsSystem } from '@brandshelf/db';

const USAGE = `Usage:
  npm run cli -- ingest <file|-|url> --feed <feedId> [--validate-only] [--name <name>] [--server <url> --key <apiKey>]
      Ingests a feed file (- reads standard input) and follows the run to its end: reading, images and, on an
      auto-publish feed, the publish. Progress on stderr, a summary on stdout.
  npm run cli -- feeds [--server <url> --key <apiKey>]
      Lists feeds (id, source, name) to find a feed id.

Client mode (a server is given): uploads to that running Brandshelf server (POST /feeds/:id/uploads, streamed)
and follows the run over the ingestionRunProgress subscription. Takes a file or -, not a URL.
Local mode (no server): runs the pipeline in this process on the database the settings name (DATABASE_URL,
DATA_DIR, ...; the embedded database cannot be shared with a running server), and works the run's image and
auto-publish jobs itself. Takes a file, - or an http(s) URL.

Options:
  --feed <id>            The feed to ingest into.
  --validate-only        Diagnostics and would-be counts only; nothing is staged (images are not checked).
  --name <name>          The file name recorded on the run (default: the file's base name).
  --server <url>         Client mode: the server's base URL, e.g. http://localhost:3000. Env: BRANDSHELF_SERVER.
  --key <apiKey>         Client mode: a brand API key. Env: BRANDSHELF_API_KEY.
  --local                Local mode even when BRANDSHELF_SERVER is set.
  --progress-every <s>   When stderr is not a terminal, a progress line this often (default 5 seconds).
  -h, --help             This text.

Exit codes: 0 the run succeeded; 1 it failed or was cancelled, or the server could not be reached or refused;
2 bad usage.`;

interface Options {
  command: string;
  target?: string;
  feed?: string;
  validateOnly: boolean;
  name?: string;
  server: URL | null;
  key: string | null;
  progressEveryMs: number;
}

function parse(argv: string[]): Options | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        feed: { type: 'string' },
        'validate-only': { type: 'boolean' },
        name: { type: 'string' },
        server: { type: 'string' },
        key: { type: 'string' },
        local: { type: 'boolean' },
        'progress-every': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { positionals, values } = parsed;
  if (values.help || positionals[0] === 'help') return 'help';
  const [command, target, ...extra] = positionals;
  if (!command) throw new UsageError('No command given.');
  if (command !== 'ingest' && command !== 'feeds') throw new UsageError(`Unknown command "${command}".`);
  if (command === 'feeds' && target) throw new UsageError(`feeds takes no argument (got "${target}").`);
  if (extra.length) throw new UsageError(`Unexpected arguments: ${extra.join(' ')}.`);
  if (command === 'ingest' && !target) throw new UsageError('ingest needs a file, - (standard input) or a URL.');
  if (command === 'ingest' && !values.feed) throw new UsageError('ingest needs --feed <feedId>.');

  const serverText = values.local ? undefined : (values.server ?? (process.env.BRANDSHELF_SERVER || undefined));
  if (values.local && values.server) throw new UsageError('--local and --server contradict each other.');
  let server: URL | null = null;
  if (serverText) {
    try {
      server = new URL(serverText);
    } catch {
      throw new UsageError(`--server "${serverText}" is not a URL; give e.g. http://localhost:3000.`);
    }
    if (server.protocol !== 'http:' && server.protocol !== 'https:') {
      throw new UsageError(`--server must be an http or https URL (got ${server.protocol}).`);
    }
  }
  const key = values.key ?? (server ? process.env.BRANDSHELF_API_KEY || null : null);
  if (server && !key) throw new UsageError('Client mode needs a brand API key: --key <apiKey> or BRANDSHELF_API_KEY.');
  if (!server && values.key) throw new UsageError('--key is for client mode: give --server (or BRANDSHELF_SERVER).');

  let progressEveryMs = 5000;
  if (values['progress-every'] !== undefined) {
    const seconds = Number(values['progress-every']);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      throw new UsageError(`--progress-every wants a number of seconds above 0 (got "${values['progress-every']}").`);
    }
    progressEveryMs = seconds * 1000;
  }
  return {
    command,
    target,
    feed: values.feed,
    validateOnly: Boolean(values['validate-only']),
    name: values.name,
    server,
    key,
    progressEveryMs,
  };
}

type Target = { stdin: Readable } | { url: string } | { file: string; size: number };

async function targetOf(options: Options): Promise<Target> {
  const target = options.target!;
  if (target === '-') return { stdin: process.stdin };
  if (/^https?:\/\//i.test(target)) {
    if (options.server) {
      throw new UsageError(
        'Client mode uploads a file or standard input, not a URL: pipe it (curl -sf URL | … ingest - …), ' +
          "or make it the feed's url and use fetchFeedNow.",
      );
    }
    return { url: target };
  }
  const info = await stat(target).catch(() => null);
  if (!info) throw new UsageError(`No file "${target}".`);
  if (!info.isFile()) throw new UsageError(`"${target}" is not a file.`);
  return { file: target, size: info.size };
}

async function main(): Promise<number> {
  const options = parse(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(USAGE + '\n');
    return EXIT.SUCCEEDED;
  }
  const target = options.command === 'ingest' ? await targetOf(options) : null;
  const name = options.name ?? (target && 'file' in target ? basename(target.file) : null);

  if (options.server) {
    const client = new ServerClient(options.server, options.key!);
    if (options.command === 'feeds') {
      for (const f of await client.feeds()) process.stdout.write(`${f.id}  ${f.source.padEnd(7)} ${f.name}\n`);
      return EXIT.SUCCEEDED;
    }
    const progress = new ProgressBar(process.stderr, options.progressEveryMs);
    const started = Date.now();
    try {
      const body = target && 'file' in target ? createReadStream(target.file) : process.stdin;
      const runId = await client.upload(options.feed!, body, {
        size: target && 'file' in target ? target.size : null,
        name,
        validateOnly: options.validateOnly,
        progress,
      });
      const run = await client.follow(runId, (r) => progress.update(r));
      return report(run, progress, started);
    } finally {
      progress.done();
    }
  }

  // Loaded only here: client mode and usage errors stay quick without the whole platform (Nest, TypeORM, sharp).
  const { LocalPipeline } = await import('./local.js');
  const local = await LocalPipeline.open();
  try {
    if (options.command === 'feeds') {
      for (const f of await local.feeds()) {
        process.stdout.write(`${f.id}  brand=${f.brandId}  ${f.source.padEnd(7)} ${f.name}\n`);
      }
      return EXIT.SUCCEEDED;
    }
    const progress = new ProgressBar(process.stderr, options.progressEveryMs);
    const started = Date.now();
    try {
      const run = await local.ingest(options.feed!, target!, { name, validateOnly: options.validateOnly, progress });
      return report(run, progress, started);
    } finally {
      progress.done();
    }
  } finally {
    await local.close();
  }
}

function report(run: RunReport, progress: ProgressBar, started: number): number {
  progress.done();
  process.stdout.write(summaryLines(run, (Date.now() - started) / 1000).join('\n') + '\n');
  return exitCodeOf(run);
}

// The CLI is the operator's tool on the machine itself: it lists and acts on every brand's feeds, a system path
// (runs it starts are jobs, which run as their brand).
runAsSystem('cli', main).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      process.exit(EXIT.USAGE);
    }
    process.stderr.write(`${error instanceof CliError ? error.message : ((error as Error).stack ?? error)}\n`);
    process.exit(EXIT.FAILED);
  },
);
