/**
 * Image pipeline throughput: N distinct 2000×2000 JPEGs served from a loopback HTTP server, run end to end
 * through ImagePipeline (SSRF-checked fetch → sha256 → sharp → LocalDiskStorage), then the same images
 * through bare sharp making the same renditions at the same concurrency. The ratio is what the pipeline
 * keeps of sharp's own speed.
 *
 *   npm run build && node --import ./scripts/register.mjs dist/bench/images.js [--n 40] [--concurrency <cores>]
 *     [--threads 1]   libvips threads per image (sharp.concurrency)
 *     [--batch 10]    images per slice; the phases alternate slice by slice
 *     [--clone]       also time the naive variant: one sharp clone (one decode) per rendition
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { configureSharp, ImagePipeline, ImageProcessor } from '@brandshelf/media';
import { SafeHttpClient, SsrfGuard } from '@brandshelf/net';
import { LocalDiskStorage } from '@brandshelf/storage';

const SIDE = 2000;

function option(name: string, fallback: number): number {
  const args = process.argv.slice(2);
  const inline = args.find((arg) => arg.startsWith(`--${name}=`));
  const index = args.indexOf(`--${name}`);
  const value = inline ? inline.split('=')[1] : index !== -1 ? args[index + 1] : undefined;
  return value === undefined ? fallback : Number(value);
}

/** Gradients, a few soft shapes and sensor-like noise: encoders do real work, and each seed gives new bytes. */
async function syntheticPhoto(seed: number): Promise<Buffer> {
  const raw = Buffer.alloc(SIDE * SIDE * 3);
  let state = (seed * 2654435761) >>> 0;
  const random = () => (state = (state * 1664525 + 1013904223) >>> 0) / 4294967296;
  const cx = SIDE * (0.3 + 0.4 * random());
  const cy = SIDE * (0.3 + 0.4 * random());
  const tint = random();
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const i = (y * SIDE + x) * 3;
      const distance = Math.hypot(x - cx, y - cy) / SIDE;
      const noise = (random() - 0.5) * 40;
      const blob = distance < 0.3 ? 60 * (1 - distance / 0.3) : 0;
      raw[i] = clamp(255 * (x / SIDE) * (0.4 + tint) + blob + noise);
      raw[i + 1] = clamp(255 * (1 - distance) + noise);
      raw[i + 2] = clamp(128 + 100 * Math.sin(x / 50 + y / 80 + seed) - blob + noise);
    }
  }
  return sharp(raw, { raw: { width: SIDE, height: SIDE, channels: 3 } })
    .jpeg({ quality: 88 })
    .toBuffer();
}

function clamp(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : value;
}

interface PhaseTotals {
  seconds: number;
  cpuMs: number;
  images: number;
  peakRss: number;
}

const emptyTotals = (): PhaseTotals => ({ seconds: 0, cpuMs: 0, images: 0, peakRss: 0 });

/** Runs `work` over `indexes` with `concurrency` workers, adding wall time, CPU time and peak RSS to `totals`. */
async function timed(
  totals: PhaseTotals,
  indexes: number[],
  concurrency: number,
  work: (index: number) => Promise<unknown>,
): Promise<void> {
  const sample = () => (totals.peakRss = Math.max(totals.peakRss, process.memoryUsage.rss()));
  const sampler = setInterval(sample, 20);
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < indexes.length) await work(indexes[next++]);
    }),
  );
  totals.seconds += Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  totals.cpuMs += (used.user + used.system) / 1000;
  totals.images += indexes.length;
  clearInterval(sampler);
  sample();
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

async function main(): Promise<void> {
  const n = option('n', 40);
  const concurrency = option('concurrency', availableParallelism());
  const threads = option('threads', 1);
  const batch = option('batch', 10);
  configureSharp({ threadsPerImage: threads, cache: false });
  const processor = new ImageProcessor();
  const sizes = processor.renditionSizes;

  process.stdout.write(`generating ${n} distinct ${SIDE}×${SIDE} JPEGs... `);
  const images: Buffer[] = [];
  for (let i = 0; i < n + 2; i++) images.push(await syntheticPhoto(i + 1));
  const averageBytes = images.reduce((sum, image) => sum + image.length, 0) / images.length;
  console.log(`done, ${(averageBytes / 1024 / 1024).toFixed(2)} MB each on average`);

  const server = http.createServer((req, res) => {
    const image = images[Number(/^\/img\/(\d+)\.jpg$/.exec(req.url ?? '')?.[1] ?? NaN)];
    if (!image) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': image.length }).end(image);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const root = await mkdtemp(join(tmpdir(), 'brandshelf-bench-images-'));
  const client = new SafeHttpClient({ guard: new SsrfGuard({ allowHosts: ['127.0.0.1'] }) });
  const pipeline = new ImagePipeline({
    http: client,
    storage: new LocalDiskStorage({ root, publicBaseUrl: 'http://localhost:3000/media' }),
    processor,
  });

  // Bare sharp, doing what the processor does for renditions (one decode, cascade from the largest) and
  // nothing else: no fetch, hash, placeholder, storage or manifest.
  const bare = async (input: Buffer) => {
    const { data, info } = await sharp(input, { failOn: 'error', limitInputPixels: processor.limitInputPixels })
      .autoOrient()
      .resize(sizes.at(-1), sizes.at(-1), { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixels = () => sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
    const webp = { quality: processor.webpQuality, effort: processor.webpEffort };
    await Promise.all([
      ...sizes.map((size) => pixels().resize(size, size, { fit: 'inside' }).webp(webp).toBuffer()),
      pixels().jpeg({ quality: processor.jpegQuality }).toBuffer(),
    ]);
  };
  // The naive way: one pipeline per output, each decoding the source again.
  const clones = async (input: Buffer) => {
    const source = sharp(input, { failOn: 'error' }).autoOrient();
    const bound = (size: number) => ({ width: size, height: size, fit: 'inside' as const, withoutEnlargement: true });
    const webp = { quality: processor.webpQuality, effort: processor.webpEffort };
    await Promise.all([
      ...sizes.map((size) => source.clone().resize(bound(size)).webp(webp).toBuffer()),
      source
        .clone()
        .resize(bound(sizes.at(-1)!))
        .jpeg({ quality: processor.jpegQuality })
        .toBuffer(),
    ]);
  };

  // Warm-up on the two extra images (not counted): first sharp calls load codecs and grow the pools.
  await pipeline.fetchAndStore(`${origin}/img/${n}.jpg`);
  await bare(images[n + 1]);

  // Phases alternate over slices of the images, so load from elsewhere on the machine hits both alike.
  const statuses: Record<string, number> = {};
  const piped = emptyTotals();
  const direct = emptyTotals();
  const naive = emptyTotals();
  const withClones = process.argv.includes('--clone');
  for (let start = 0; start < n; start += batch) {
    const slice = Array.from({ length: Math.min(batch, n - start) }, (_, i) => start + i);
    await timed(piped, slice, concurrency, async (i) => {
      const result = await pipeline.fetchAndStore(`${origin}/img/${i}.jpg`);
      statuses[result.status] = (statuses[result.status] ?? 0) + 1;
    });
    await timed(direct, slice, concurrency, (i) => bare(images[i]));
    if (withClones) await timed(naive, slice, concurrency, (i) => clones(images[i]));
  }

  console.log(
    `${n} images, concurrency ${concurrency}, libvips threads/image ${sharp.concurrency()}, renditions ${sizes.join('/')} WebP` +
      ` q${processor.webpQuality} effort ${processor.webpEffort} + JPEG q${processor.jpegQuality},` +
      ` UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}, ${availableParallelism()} cores`,
  );
  const rate = (run: PhaseTotals) => run.images / run.seconds;
  const line = (label: string, run: PhaseTotals) =>
    console.log(
      `${label.padEnd(52)} ${run.seconds.toFixed(1).padStart(5)} s ${rate(run).toFixed(2).padStart(6)} images/s` +
        ` ${(run.cpuMs / run.images).toFixed(0).padStart(4)} CPU ms/image  peak RSS ${mb(run.peakRss)}`,
    );
  const outcome = Object.entries(statuses)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
  line(`pipeline: fetch, sha256, sharp, local disk (${outcome})`, piped);
  line('bare sharp: same renditions, one decode, cascade', direct);
  if (withClones) line('bare sharp, naive: one clone (decode) per rendition', naive);
  console.log(
    `ratio pipeline/bare: ${(rate(piped) / rate(direct)).toFixed(2)} by wall clock (aim ≥ 0.85),` +
      ` ${(direct.cpuMs / piped.cpuMs).toFixed(2)} by CPU time per image`,
  );
  console.log(`process peak RSS (getrusage): ${mb(process.resourceUsage().maxRSS * 1024)}`);

  client.close();
  server.close();
  await rm(root, { recursive: true, force: true });
}

await main();
