/**
 * Ad creative render time per template: CreativeRenderer (what renderCreative runs when no stored file matches)
 * drawing a 1600×1600 WebP rendition of a synthetic photo with a short title, and with a long title that must be
 * cut to the template's lines (the search for the longest prefix that fits lays the text out several times).
 * One render at a time, one libvips thread (as configureSharp sets for the serving process); the first render of
 * each template is left out (font loading). Prints the median and p95 per template and case, and the load average.
 *
 *   npm run bench:creatives [-- --n 30]
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { CREATIVE_TEMPLATES, CreativeRenderer, configureSharp, type CreativeContent } from '@brandshelf/media';

const SIDE = 1600;

function option(name: string, fallback: number): number {
  const args = process.argv.slice(2);
  const index = args.indexOf(`--${name}`);
  return index !== -1 ? Number(args[index + 1]) : fallback;
}

/** Gradients and noise, so decoding and resizing do the work a product photo gives them. */
async function rendition(): Promise<Buffer> {
  const raw = Buffer.alloc(SIDE * SIDE * 3);
  let state = 12345;
  for (let i = 0; i < raw.length; i++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    raw[i] = ((i % (SIDE * 3)) / 20 + (state >>> 27)) & 0xff;
  }
  return sharp(raw, { raw: { width: SIDE, height: SIDE, channels: 3 } })
    .webp({ quality: 80, effort: 2 })
    .toBuffer();
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function main(): Promise<void> {
  const n = option('n', 20);
  configureSharp({ threadsPerImage: 1 });
  const image = await rendition();
  const renderer = new CreativeRenderer();
  const cases = {
    short: (i: number) => `Trail Runner Shoe ${i}`,
    long: (i: number) =>
      `Ultralight waterproof trail running shoe ${i} with a grippy Vibram sole, breathable mesh upper, ` +
      'reinforced toe cap and a cushioned midsole for long mountain days, in five colours and sizes 36 to 48',
  };
  console.log(`creatives: ${n} renders per template and case, one at a time, ${SIDE}² WebP source`);
  for (const template of CREATIVE_TEMPLATES) {
    for (const [name, title] of Object.entries(cases)) {
      const content = (i: number): CreativeContent => ({
        template,
        renditionKey: `bench/${i}`,
        background: '#eeeeee',
        title: title(i),
        price: '$99.00',
        regularPrice: '$120.00',
        brandName: 'Acme Outdoor',
      });
      await renderer.render(content(-1), image);
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < n; i++) {
        const started = performance.now();
        const out = await renderer.render(content(i), image);
        times.push(performance.now() - started);
        bytes += out.buffer.length;
      }
      times.sort((a, b) => a - b);
      console.log(
        `${template.padEnd(19)} ${name.padEnd(5)} title: median ${percentile(times, 0.5).toFixed(0)} ms, ` +
          `p95 ${percentile(times, 0.95).toFixed(0)} ms, ${(bytes / n / 1024).toFixed(0)} KiB`,
      );
    }
  }
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

await main();
