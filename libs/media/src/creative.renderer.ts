import { createHash } from 'node:crypto';
import sharp, { type OverlayOptions } from 'sharp';

/** The ad formats a creative is rendered in (the GraphQL enum CreativeTemplate derives from this list). */
export const CREATIVE_TEMPLATES = ['SQUARE_1080', 'STORY_1080x1920', 'LANDSCAPE_1200x628'] as const;
export type CreativeTemplate = (typeof CREATIVE_TEMPLATES)[number];

/**
 * Bumped whenever the drawing changes (positions, fonts, colours, encoder settings): it is part of every creative's
 * key, so a new layout gives new keys and files rendered by the old one are never served as the new.
 */
export const CREATIVE_LAYOUT_VERSION = 1;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface TextBox extends Rect {
  /** Pango font description; sizes are in pixels (rendered at 72 dpi). */
  font: string;
  /** Most lines drawn; the text is cut at a word (or character) with an ellipsis beyond them. */
  maxLines: number;
  color: string;
}

/** Where a template draws each part: every box is fixed, so tests (and designers) can check it. */
export interface CreativeLayout {
  width: number;
  height: number;
  /** The product image is fitted (never cropped) inside this box, `imagePadding` from its edges. */
  image: Rect;
  imagePadding: number;
  /** The dark panel the text sits on. */
  band: Rect & { color: string };
  brand: TextBox;
  title: TextBox;
  /** The regular price, struck through, drawn only when the product is on sale. */
  regularPrice: TextBox;
  /** What the shopper pays: the sale price when on sale (in `saleColor`), else the price. */
  price: TextBox & { saleColor: string };
}

const SANS = 'DejaVu Sans';
const BAND = '#141414';
const WHITE = '#ffffff';
const MUTED = '#a8a8a8';
const SALE = '#ff6e5a';

export const CREATIVE_LAYOUTS: Readonly<Record<CreativeTemplate, CreativeLayout>> = {
  SQUARE_1080: {
    width: 1080,
    height: 1080,
    image: { x: 0, y: 0, width: 1080, height: 740 },
    imagePadding: 40,
    band: { x: 0, y: 740, width: 1080, height: 340, color: BAND },
    brand: { x: 60, y: 768, width: 960, height: 36, font: `${SANS} Bold 26`, maxLines: 1, color: MUTED },
    title: { x: 60, y: 812, width: 960, height: 100, font: `${SANS} 38`, maxLines: 2, color: WHITE },
    regularPrice: { x: 60, y: 918, width: 960, height: 44, font: `${SANS} 30`, maxLines: 1, color: MUTED },
    price: {
      x: 60,
      y: 964,
      width: 960,
      height: 90,
      font: `${SANS} Bold 64`,
      maxLines: 1,
      color: WHITE,
      saleColor: SALE,
    },
  },
  STORY_1080x1920: {
    width: 1080,
    height: 1920,
    image: { x: 0, y: 180, width: 1080, height: 1220 },
    imagePadding: 60,
    band: { x: 0, y: 1400, width: 1080, height: 520, color: BAND },
    // The brand sits on a band of its own at the top (the image area's colour behind it is the band's too).
    brand: { x: 60, y: 60, width: 960, height: 60, font: `${SANS} Bold 40`, maxLines: 1, color: WHITE },
    title: { x: 60, y: 1450, width: 960, height: 200, font: `${SANS} 50`, maxLines: 3, color: WHITE },
    regularPrice: { x: 60, y: 1668, width: 960, height: 60, font: `${SANS} 40`, maxLines: 1, color: MUTED },
    price: {
      x: 60,
      y: 1736,
      width: 960,
      height: 130,
      font: `${SANS} Bold 96`,
      maxLines: 1,
      color: WHITE,
      saleColor: SALE,
    },
  },
  LANDSCAPE_1200x628: {
    width: 1200,
    height: 628,
    image: { x: 0, y: 0, width: 628, height: 628 },
    imagePadding: 24,
    band: { x: 628, y: 0, width: 572, height: 628, color: BAND },
    brand: { x: 668, y: 44, width: 492, height: 36, font: `${SANS} Bold 26`, maxLines: 1, color: MUTED },
    title: { x: 668, y: 96, width: 492, height: 220, font: `${SANS} 38`, maxLines: 4, color: WHITE },
    regularPrice: { x: 668, y: 414, width: 492, height: 44, font: `${SANS} 30`, maxLines: 1, color: MUTED },
    price: {
      x: 668,
      y: 464,
      width: 492,
      height: 110,
      font: `${SANS} Bold 72`,
      maxLines: 1,
      color: WHITE,
      saleColor: SALE,
    },
  },
};

/** The story's top strip behind the brand name. */
const STORY_TOP: Rect = { x: 0, y: 0, width: 1080, height: 180 };

/** What a creative shows: everything that goes into its key. */
export interface CreativeContent {
  template: CreativeTemplate;
  /** Storage key of the product image rendition drawn (content-addressed, so it names the pixels). */
  renditionKey: string;
  /** '#rrggbb' behind the image (its dominant colour). */
  background: string;
  title: string;
  /** What the shopper pays, formatted ("$99.00"); null when the product has no price. */
  price: string | null;
  /** The regular price when on sale (struck through); null otherwise. */
  regularPrice: string | null;
  brandName: string;
}

export interface RenderedCreative {
  buffer: Buffer;
  width: number;
  height: number;
  format: 'jpeg';
}

/** Titles longer than this are cut before layout: no ad shows more, and Pango's work stays bounded. */
const MAX_TEXT_GRAPHEMES = 300;
const JPEG_QUALITY = 88;
const STRIKE_THICKNESS = { SQUARE_1080: 3, STORY_1080x1920: 4, LANDSCAPE_1200x628: 3 } as const;

/**
 * The content-addressed key of a creative: sha256 over the layout version and everything drawn, so the same inputs
 * always give the same key (and reuse the stored file) and any change of title, prices, brand name or image gives a
 * new one. `creative/ab/cd/<sha256>.jpg`.
 */
export function creativeKey(content: CreativeContent): string {
  const hash = createHash('sha256')
    .update(
      JSON.stringify([
        CREATIVE_LAYOUT_VERSION,
        content.template,
        content.renditionKey,
        content.background,
        content.title,
        content.price,
        content.regularPrice,
        content.brandName,
      ]),
    )
    .digest('hex');
  return `creative/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}.jpg`;
}

/**
 * Text as it may be drawn: characters XML forbids (C0 controls but tab and newline, lone surrogates, U+FFFE/FFFF)
 * and C1 controls removed, whitespace runs (newlines included) made one space, and at most 300 graphemes.
 */
export function cleanText(text: string): string {
  const cleaned = text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const graphemes = splitGraphemes(cleaned);
  return graphemes.length > MAX_TEXT_GRAPHEMES ? graphemes.slice(0, MAX_TEXT_GRAPHEMES).join('') : cleaned;
}

/**
 * Escapes text for Pango markup (libvips draws text from markup, an XML dialect as SVG is): the five XML
 * entities, so `<`, `&`, quotes and `]]>` are drawn as themselves and never parsed.
 */
export function escapeMarkup(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function splitGraphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/**
 * Characters with no ink of their own: format characters (zero-width space and joiner, bidi marks, tag
 * characters), separators, combining and enclosing marks (variation selectors among them), controls and the other
 * default-ignorable code points (Hangul fillers, the combining grapheme joiner). Text of these only draws nothing.
 */
const DRAWS_NOTHING = /[\p{Cf}\p{Z}\p{Mn}\p{Me}\p{Cc}\p{Default_Ignorable_Code_Point}]/gu;

interface DrawnText {
  data: Buffer;
  width: number;
  height: number;
}

/**
 * Composes product creatives with sharp (libvips): the product image fitted on its dominant colour, a dark panel,
 * and the brand name, title and prices drawn by Pango with the system's fonts (fontconfig: DejaVu Sans, falling
 * back to any installed font for scripts and symbols it lacks; right-to-left text is laid out by Pango/FriBidi).
 * Every step runs in libvips on libuv's thread pool, never on the event loop.
 */
export class CreativeRenderer {
  /** The height of one line per font, measured once. */
  private readonly lineHeights = new Map<string, number>();

  async render(content: CreativeContent, image: Buffer): Promise<RenderedCreative> {
    const layout = CREATIVE_LAYOUTS[content.template];
    const overlays: OverlayOptions[] = [];
    const fill = (rect: Rect, color: string) =>
      overlays.push({
        input: { create: { width: rect.width, height: rect.height, channels: 4, background: color } },
        left: rect.x,
        top: rect.y,
      });

    const inner = {
      width: layout.image.width - 2 * layout.imagePadding,
      height: layout.image.height - 2 * layout.imagePadding,
    };
    const fitted = await sharp(image)
      .resize(inner.width, inner.height, { fit: 'inside' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    overlays.push({
      input: fitted.data,
      raw: { width: fitted.info.width, height: fitted.info.height, channels: 4 },
      left: layout.image.x + layout.imagePadding + Math.floor((inner.width - fitted.info.width) / 2),
      top: layout.image.y + layout.imagePadding + Math.floor((inner.height - fitted.info.height) / 2),
    });
    fill(layout.band, layout.band.color);
    if (content.template === 'STORY_1080x1920') fill(STORY_TOP, layout.band.color);

    const onSale = content.price !== null && content.regularPrice !== null;
    const [brand, title, regular, price] = await Promise.all([
      this.fit(content.brandName, layout.brand),
      this.fit(content.title, layout.title),
      onSale ? this.fit(content.regularPrice!, layout.regularPrice) : null,
      content.price !== null
        ? this.fit(content.price, { ...layout.price, color: onSale ? layout.price.saleColor : layout.price.color })
        : null,
    ]);
    const place = (text: DrawnText | null, box: Rect) => {
      if (!text || text.width === 0 || text.height === 0) return;
      overlays.push({
        input: text.data,
        raw: { width: text.width, height: text.height, channels: 4 },
        left: box.x,
        top: box.y,
      });
    };
    place(brand, layout.brand);
    place(title, layout.title);
    place(price, layout.price);
    if (regular && regular.width > 0) {
      place(regular, layout.regularPrice);
      // The strike: a bar across the drawn price at its x-height's middle (drawn, not a font decoration, so it
      // is as wide as the text whatever the font).
      const thickness = STRIKE_THICKNESS[content.template];
      overlays.push({
        input: {
          create: { width: regular.width, height: thickness, channels: 4, background: layout.regularPrice.color },
        },
        left: layout.regularPrice.x,
        top: layout.regularPrice.y + Math.round(regular.height * 0.55) - Math.floor(thickness / 2),
      });
    }

    const { data, info } = await sharp({
      create: { width: layout.width, height: layout.height, channels: 3, background: content.background },
    })
      .composite(overlays)
      .flatten({ background: content.background })
      .jpeg({ quality: JPEG_QUALITY, chromaSubsampling: '4:4:4' })
      .toBuffer({ resolveWithObject: true });
    return { buffer: data, width: info.width, height: info.height, format: 'jpeg' };
  }

  /**
   * The text drawn in its box: wrapped at words (at characters for a word wider than the box), and when it needs
   * more than `maxLines` lines, cut at the last word that fits (or character, when a word would lose too much)
   * with an ellipsis.
   */
  private async fit(raw: string, box: TextBox): Promise<DrawnText | null> {
    const text = cleanText(raw);
    if (!text) return null;
    const whole = await this.draw(text, box);
    if (await this.fits(whole, box)) return whole;
    const graphemes = splitGraphemes(text);
    const cut = (n: number) => `${graphemes.slice(0, n).join('').trimEnd()}…`;
    // The longest prefix that fits with its ellipsis: binary search over graphemes (each probe is one Pango layout).
    let low = 0;
    let high = graphemes.length - 1;
    let best: DrawnText | null = null;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      const drawn = await this.draw(cut(mid), box);
      if (await this.fits(drawn, box)) {
        low = mid;
        best = drawn;
      } else high = mid - 1;
    }
    if (low === 0) return this.draw('…', box);
    // Prefer ending at a word when that keeps most of what fits.
    const prefix = graphemes.slice(0, low).join('');
    const space = prefix.trimEnd().lastIndexOf(' ');
    if (space > prefix.length * 0.6) return this.draw(`${prefix.slice(0, space).trimEnd()}…`, box);
    return best ?? this.draw(cut(low), box);
  }

  private async fits(drawn: DrawnText, box: TextBox): Promise<boolean> {
    const line = await this.lineHeight(box.font);
    // A fallback font (Hebrew, symbols) may make a line a little taller; a whole extra line is not that.
    return drawn.width <= box.width && drawn.height <= box.maxLines * line + line * 0.5;
  }

  private async lineHeight(font: string): Promise<number> {
    let height = this.lineHeights.get(font);
    if (height === undefined) {
      height = (await this.draw('Ag', { font, width: 10_000, color: WHITE })).height;
      this.lineHeights.set(font, height);
    }
    return height;
  }

  private async draw(text: string, box: { font: string; width: number; color: string }): Promise<DrawnText> {
    // Text of characters that draw nothing (a variation selector, tag characters, zero-width spaces and joiners):
    // Pango lays out no glyph and libvips fails with "no text to render". That failure must not happen at all:
    // libvips reports it through its process-wide error buffer, so a text drawn at the same time on another thread
    // could take the message (that draw then failed, "Warning treated as error due to failOn setting") and leave
    // this one "Unknown error". Nothing is drawn, as for an empty title.
    if (!text.replace(DRAWS_NOTHING, '')) return { data: Buffer.alloc(0), width: 0, height: 0 };
    try {
      return await this.layout(text, box);
    } catch (error) {
      // Anything else Pango finds no ink in (the fuzz run found "\u{E01F0}" before the check above).
      if (/no text to render/.test((error as Error).message)) return { data: Buffer.alloc(0), width: 0, height: 0 };
      throw error;
    }
  }

  private async layout(text: string, box: { font: string; width: number; color: string }): Promise<DrawnText> {
    const { data, info } = await sharp({
      text: {
        text: `<span foreground="${box.color}">${escapeMarkup(text)}</span>`,
        font: box.font,
        dpi: 72,
        width: box.width,
        wrap: 'word-char',
        rgba: true,
      },
    })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  }
}
