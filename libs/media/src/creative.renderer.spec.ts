import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  CREATIVE_LAYOUTS,
  CREATIVE_TEMPLATES,
  CreativeRenderer,
  cleanText,
  creativeKey,
  escapeMarkup,
  type CreativeContent,
  type CreativeTemplate,
  type Rect,
} from './creative.renderer.js';

/** Decoded pixels of a rendered creative, with what the tests ask of a region. */
class Pixels {
  constructor(
    readonly data: Buffer,
    readonly width: number,
    readonly height: number,
  ) {}

  static async of(jpeg: Buffer): Promise<Pixels> {
    const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return new Pixels(data, info.width, info.height);
  }

  rgb(x: number, y: number): [number, number, number] {
    const i = (y * this.width + x) * 3;
    return [this.data[i], this.data[i + 1], this.data[i + 2]];
  }

  /** Pixels of the region brighter than `threshold` (text on the dark band). */
  bright(rect: Rect, threshold = 110): number {
    let n = 0;
    for (let y = rect.y; y < rect.y + rect.height; y++)
      for (let x = rect.x; x < rect.x + rect.width; x++) {
        const [r, g, b] = this.rgb(x, y);
        if (0.2126 * r + 0.7152 * g + 0.0722 * b > threshold) n++;
      }
    return n;
  }

  /** The longest horizontal run of bright pixels in any row of the region: a strike, not glyphs. */
  longestRun(rect: Rect, threshold = 110): number {
    let best = 0;
    for (let y = rect.y; y < rect.y + rect.height; y++) {
      let run = 0;
      for (let x = rect.x; x < rect.x + rect.width; x++) {
        const [r, g, b] = this.rgb(x, y);
        run = 0.2126 * r + 0.7152 * g + 0.0722 * b > threshold ? run + 1 : 0;
        best = Math.max(best, run);
      }
    }
    return best;
  }
}

const content = (template: CreativeTemplate, over: Partial<CreativeContent> = {}): CreativeContent => ({
  template,
  renditionKey: 'img/aa/bb/' + 'a'.repeat(64) + '/1600.webp',
  background: '#e8e8e8',
  title: 'Trail Runner Shoe',
  price: '$99.00',
  regularPrice: '$120.00',
  brandName: 'Acme Outdoor',
  ...over,
});

const HOSTILE = [
  `He said "don't" <b>bold</b> & </span><span foreground="red"> ]]> <![CDATA[x]]> &amp; &#x41;`,
  'Tent 😀🏕️👨‍👩‍👧 for 4 ★ ✓',
  'נעלי ריצה לשטח – Trail Runner',
  'حذاء الجري على الطرق الوعرة',
  'Null\u0000 and\u0007 controls\u001b[31m \ud800 lone surrogate \uffff',
  'W'.repeat(500),
  Array.from({ length: 80 }, (_, i) => `word${i}`).join(' '),
];

describe('CreativeRenderer', () => {
  const renderer = new CreativeRenderer();
  let photo: Buffer;

  beforeAll(async () => {
    // A product on a coloured square: the image area must show it where the layout puts it.
    photo = await sharp({ create: { width: 900, height: 900, channels: 3, background: { r: 20, g: 140, b: 220 } } })
      .webp()
      .toBuffer();
  });

  it.each(CREATIVE_TEMPLATES)(
    '%s: its pixel size, the image in its box, and text where the layout puts it',
    async (t) => {
      const layout = CREATIVE_LAYOUTS[t];
      const out = await renderer.render(content(t), photo);
      if (process.env.CREATIVE_DUMP_DIR) await writeFile(join(process.env.CREATIVE_DUMP_DIR, `${t}.jpg`), out.buffer);
      expect(out.format).toBe('jpeg');
      expect([out.width, out.height]).toEqual([layout.width, layout.height]);
      const meta = await sharp(out.buffer).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', layout.width, layout.height]);

      const px = await Pixels.of(out.buffer);
      const [r, g, b] = px.rgb(layout.image.x + layout.image.width / 2, layout.image.y + layout.image.height / 2);
      expect(Math.abs(r - 20) + Math.abs(g - 140) + Math.abs(b - 220)).toBeLessThan(30);
      // The band is dark where nothing is drawn, light where text is.
      const [br, bg, bb] = px.rgb(layout.band.x + layout.band.width - 10, layout.band.y + layout.band.height - 10);
      expect(Math.max(br, bg, bb)).toBeLessThan(40);
      for (const box of [layout.brand, layout.title, layout.price, layout.regularPrice]) {
        expect(px.bright(box)).toBeGreaterThan(200);
      }
    },
  );

  it.each(CREATIVE_TEMPLATES)('%s: strikes the regular price only when on sale', async (t) => {
    const layout = CREATIVE_LAYOUTS[t];
    const sale = await Pixels.of((await renderer.render(content(t), photo)).buffer);
    const full = await Pixels.of((await renderer.render(content(t, { regularPrice: null }), photo)).buffer);
    // A bar as wide as "$120.00": no glyph stroke is half that long.
    expect(sale.longestRun(layout.regularPrice)).toBeGreaterThan(80);
    expect(full.bright(layout.regularPrice)).toBe(0);
    // The price is drawn either way (in the sale colour when on sale).
    expect(full.bright(layout.price)).toBeGreaterThan(200);
    const [r, g, b] = reddest(sale, layout.price);
    expect(r).toBeGreaterThan(g + 60);
    expect(r).toBeGreaterThan(b + 60);
  });

  it.each(CREATIVE_TEMPLATES)('%s: wraps a long title into its lines and cuts the rest', async (t) => {
    const layout = CREATIVE_LAYOUTS[t];
    const long = Array.from({ length: 60 }, (_, i) => `Lightweight${i}`).join(' ');
    const px = await Pixels.of((await renderer.render(content(t, { title: long, regularPrice: null }), photo)).buffer);
    expect(px.bright(layout.title)).toBeGreaterThan(500);
    // Nothing of the title below its box (down to the regular price's row, empty when not on sale).
    const below = {
      ...layout.title,
      y: layout.title.y + layout.title.height,
      height: layout.price.y - 4 - (layout.title.y + layout.title.height),
    };
    expect(px.bright(below)).toBe(0);
  });

  it('draws hostile titles as text: markup, entities, CDATA ends, emoji, right-to-left, control characters', async () => {
    for (const title of HOSTILE) {
      const out = await renderer.render(content('SQUARE_1080', { title, brandName: title }), photo);
      const px = await Pixels.of(out.buffer);
      expect(px.bright(CREATIVE_LAYOUTS.SQUARE_1080.title)).toBeGreaterThan(100);
    }
    // A title that is only control characters draws nothing, and fails nothing.
    const blank = await renderer.render(content('LANDSCAPE_1200x628', { title: '\u0000\u0001 \n\t' }), photo);
    expect((await Pixels.of(blank.buffer)).bright(CREATIVE_LAYOUTS.LANDSCAPE_1200x628.title)).toBe(0);
    // Nor one of characters that draw nothing (a variation selector, a tag character, a zero-width joiner), found
    // by the fuzz run: Pango lays out no glyph and libvips refused to draw it.
    for (const invisible of ['\u{E01F0}', '\u{E0041}\u{E0042}', '\u200D']) {
      const out = await renderer.render(content('SQUARE_1080', { title: invisible, brandName: '' }), photo);
      expect((await Pixels.of(out.buffer)).bright(CREATIVE_LAYOUTS.SQUARE_1080.title)).toBe(0);
    }
  });

  it('renders texts that draw nothing beside others, several creatives at once, without an error', async () => {
    // libvips reports "no text to render" through its process-wide error buffer: when that failure was let happen,
    // a text drawn at the same time on another thread could take the message (its own draw then failed with
    // "Warning treated as error due to failOn setting") or leave this one with "Unknown error", which renderCreative
    // answered as INTERNAL_SERVER_ERROR now and then. Texts that cannot draw anything are not sent to libvips.
    const invisible = ['\u200b'.repeat(300), '\u{E0041}\u{E0042}'.repeat(50), '\uFE0F', '\u3164\u034F'];
    for (let round = 0; round < 12; round++) {
      await Promise.all(
        CREATIVE_TEMPLATES.map(async (t, i) => {
          const text = invisible[(round + i) % invisible.length];
          const out = await renderer.render(
            content(t, { title: text, brandName: text, regularPrice: text, price: '$1.00' }),
            photo,
          );
          const px = await Pixels.of(out.buffer);
          expect(px.bright(CREATIVE_LAYOUTS[t].title)).toBe(0);
          expect(px.bright(CREATIVE_LAYOUTS[t].price)).toBeGreaterThan(100);
        }),
      );
    }
  });

  it('escapes the five XML characters and drops what XML forbids', () => {
    expect(escapeMarkup(`<a href="x">'&'</a> ]]>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt; ]]&gt;',
    );
    expect(cleanText('a\u0000b\u0007c\n\nd \ud800e\uffff')).toBe('abc d e');
    expect(cleanText('x'.repeat(1000))).toHaveLength(300);
    // Grapheme-safe: a family emoji is not split.
    expect(cleanText('👨‍👩‍👧'.repeat(400))).toBe('👨‍👩‍👧'.repeat(300));
  });

  it('keys a creative by everything drawn and the layout version', () => {
    const base = content('SQUARE_1080');
    expect(creativeKey(base)).toBe(creativeKey({ ...base }));
    expect(creativeKey(base)).toMatch(/^creative\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}\.jpg$/);
    const variants: Partial<CreativeContent>[] = [
      { template: 'STORY_1080x1920' },
      { renditionKey: 'img/aa/bb/' + 'b'.repeat(64) + '/1600.webp' },
      { background: '#000000' },
      { title: 'Trail Runner Shoe 2' },
      { price: '$98.00' },
      { regularPrice: null },
      { brandName: 'Acme' },
    ];
    const keys = new Set([creativeKey(base), ...variants.map((v) => creativeKey({ ...base, ...v }))]);
    expect(keys.size).toBe(variants.length + 1);
  });
});

/** The most saturated red among the region's bright pixels. */
function reddest(px: Pixels, rect: Rect): [number, number, number] {
  let best: [number, number, number] = [0, 0, 0];
  for (let y = rect.y; y < rect.y + rect.height; y++)
    for (let x = rect.x; x < rect.x + rect.width; x++) {
      const c = px.rgb(x, y);
      if (c[0] - Math.max(c[1], c[2]) > best[0] - Math.max(best[1], best[2])) best = c;
    }
  return best;
}
