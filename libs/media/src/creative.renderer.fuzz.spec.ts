import fc from 'fast-check';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { CREATIVE_TEMPLATES, CreativeRenderer, cleanText, escapeMarkup } from './creative.renderer.js';

/** The repository's fuzz convention (README, Tests): FUZZ_RUNS multiplies, FUZZ_SEED and FUZZ_PATH replay. */
function fuzzParameters<T>(numRuns: number): fc.Parameters<T> {
  const scale = Number(process.env.FUZZ_RUNS ?? '1');
  return {
    numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1))),
    ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}),
    ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}),
  };
}

/** Any UTF-16, lone surrogates and controls included, with markup and entity characters made likely. */
const hostileText = fc.string({
  unit: fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.constantFrom('<', '>', '&', '"', "'", ']]>', '<![CDATA[', '&amp;', '\u0000', '\ud800') },
  ),
  maxLength: 60,
});

describe('CreativeRenderer (fuzzed)', () => {
  const renderer = new CreativeRenderer();
  let image: Buffer;

  beforeAll(async () => {
    image = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#777777' } })
      .webp()
      .toBuffer();
  });

  it('escapes into text with no markup character left unescaped, and cleans idempotently', () => {
    fc.assert(
      fc.property(hostileText, (raw) => {
        const text = cleanText(raw);
        expect(cleanText(text)).toBe(text);
        expect(escapeMarkup(text)).not.toMatch(/<|>|"|'|&(?!(amp|lt|gt|quot|apos);)/);
      }),
      fuzzParameters(2000),
    );
  });

  it('renders any title, price and brand name to the template size without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CREATIVE_TEMPLATES), hostileText, hostileText, async (template, a, b) => {
        const out = await renderer.render(
          { template, renditionKey: 'fuzz', background: '#ffffff', title: a, price: b, regularPrice: a, brandName: b },
          image,
        );
        const meta = await sharp(out.buffer).metadata();
        expect([meta.width, meta.height]).toEqual([out.width, out.height]);
      }),
      fuzzParameters(30),
    );
  }, 120_000);
});
