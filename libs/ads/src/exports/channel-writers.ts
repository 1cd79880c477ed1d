import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { XMLBuilder } from 'fast-xml-parser';
import { spreadsheetSafeText } from '@brandshelf/ingestion';
import type { CatalogProduct, ShippingOptionData, TaxRuleData } from '@brandshelf/search';
import { CHANNELS, CUSTOM_LABELS, channelFields, xmlText, type ExportChannel } from './channels.js';

/** The reader went away: the export stops reading the catalog. */
export class ExportAbortedError extends Error {
  constructor() {
    super('The export stream was closed before the end.');
  }
}

/** The reader took nothing for `ms`: the download is cut (its slot freed), as a client gone would be. */
export class ExportStalledError extends ExportAbortedError {
  constructor(readonly ms: number) {
    super();
    this.message = `The reader took nothing for ${ms / 1000} s: the export stream was cut.`;
  }
}

/** How long a writer waits at most for a full response to drain before cutting it. */
export const EXPORT_STALL_MS = 60_000;

/**
 * Resolves when `out` drains or closes (a client gone mid-download must not leave the export waiting forever),
 * true when it was cut: a reader that keeps the connection open but takes nothing for `stallMs` gets `out`
 * destroyed, so it cannot hold the download (and its slot) forever.
 */
function drained(out: Writable, stallMs: number, onStall: () => void = () => undefined): Promise<boolean> {
  return new Promise((resolve) => {
    let stalled = false;
    const timer = setTimeout(() => {
      stalled = true;
      onStall();
      out.destroy();
    }, stallMs);
    const done = () => {
      clearTimeout(timer);
      out.off('drain', done);
      out.off('close', done);
      resolve(stalled);
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/** Writes one chunk, waiting for the stream to drain when its buffer is full (a slow channel slows the reads). */
async function write(out: Writable, chunk: string, stallMs: number): Promise<void> {
  if (out.destroyed || out.writableEnded) throw new ExportAbortedError();
  if (!out.write(chunk) && (await drained(out, stallMs))) throw new ExportStalledError(stallMs);
  if (out.destroyed) throw new ExportAbortedError();
}

const GOOGLE_FIELDS = [
  'id',
  'title',
  'description',
  'link',
  'image_link',
  'availability',
  'price',
  'sale_price',
  'condition',
  'brand',
  'gtin',
  'mpn',
  'google_product_category',
  'product_type',
  'item_group_id',
  'color',
  'size',
  'gender',
  'age_group',
  'sale_price_effective_date',
  'availability_date',
  'identifier_exists',
  'material',
  'pattern',
  'mobile_link',
  ...CUSTOM_LABELS,
];

/** Sub-elements of one <g:shipping>, in Merchant Center's order, the parts the feed gave. */
function googleShipping(o: ShippingOptionData): Record<string, string> {
  const group: Record<string, string> = { 'g:country': o.country };
  if (o.region !== null) group['g:region'] = xmlText(o.region);
  if (o.postalCode !== null) group['g:postal_code'] = xmlText(o.postalCode);
  if (o.locationId !== null) group['g:location_id'] = xmlText(o.locationId);
  if (o.locationGroupName !== null) group['g:location_group_name'] = xmlText(o.locationGroupName);
  if (o.service !== null) group['g:service'] = xmlText(o.service);
  group['g:price'] = `${o.price.amount} ${o.price.currency}`;
  if (o.minHandlingTime !== null) group['g:min_handling_time'] = String(o.minHandlingTime);
  if (o.maxHandlingTime !== null) group['g:max_handling_time'] = String(o.maxHandlingTime);
  if (o.minTransitTime !== null) group['g:min_transit_time'] = String(o.minTransitTime);
  if (o.maxTransitTime !== null) group['g:max_transit_time'] = String(o.maxTransitTime);
  return group;
}

function googleTax(t: TaxRuleData): Record<string, string> {
  const group: Record<string, string> = { 'g:country': t.country };
  if (t.region !== null) group['g:region'] = xmlText(t.region);
  if (t.postalCode !== null) group['g:postal_code'] = xmlText(t.postalCode);
  if (t.locationId !== null) group['g:location_id'] = xmlText(t.locationId);
  group['g:rate'] = String(t.rate);
  group['g:tax_ship'] = t.taxShip ? 'yes' : 'no';
  return group;
}

/**
 * Google Merchant RSS 2.0: the rss/channel head, then each <item> built by XMLBuilder (which escapes &, <, >
 * and quotes; text is cleaned of characters XML 1.0 forbids first), then the tail. Nothing is held but one item.
 */
export async function writeGoogleRss(
  products: AsyncIterable<CatalogProduct>,
  out: Writable,
  head: { title: string; link: string },
  stallMs = EXPORT_STALL_MS,
): Promise<void> {
  const builder = new XMLBuilder({ ignoreAttributes: true, processEntities: true, format: false });
  await write(
    out,
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel>' +
      builder.build({ title: xmlText(head.title), link: xmlText(head.link), description: xmlText(head.title) }) +
      '\n',
    stallMs,
  );
  for await (const p of products) {
    const fields = channelFields('GOOGLE', p);
    const item: Record<string, string | string[]> = {};
    for (const name of GOOGLE_FIELDS) if (fields[name]) item[`g:${name}`] = fields[name];
    const extra = p.additionalImageLinks.slice(0, 10).map(xmlText).filter(Boolean);
    if (extra.length) item['g:additional_image_link'] = extra;
    const groups: Record<string, Array<Record<string, string>>> = {};
    if (p.shipping.length) groups['g:shipping'] = p.shipping.map(googleShipping);
    if (p.tax.length) groups['g:tax'] = p.tax.map(googleTax);
    const weight = p.shippingWeight ? xmlText(p.shippingWeight) : '';
    await write(
      out,
      builder.build({ item: { ...item, ...groups, ...(weight ? { 'g:shipping_weight': weight } : {}) } }) + '\n',
      stallMs,
    );
  }
  await write(out, '</channel></rss>\n', stallMs);
}

/** Meta or TikTok CSV: csv-stringify in streaming mode, the channel's columns, every cell defused against formulas. */
export async function writeChannelCsv(
  channel: ExportChannel,
  products: AsyncIterable<CatalogProduct>,
  out: Writable,
  stallMs = EXPORT_STALL_MS,
): Promise<void> {
  const columns = [...CHANNELS[channel].columns];
  const csv = stringify({ header: true, columns, quoted_match: /[\r\n",]/ });
  const piped = new Promise<void>((resolve, reject) => {
    csv.on('error', reject);
    csv.on('end', resolve);
  });
  // Awaited at the end; until then a failure is also seen by the loop (an unawaited rejection must not escape).
  piped.catch(() => undefined);
  const abort = () => csv.destroy(new ExportAbortedError());
  out.once('close', abort);
  let stalled: ExportStalledError | null = null;
  const stall = () => {
    stalled = new ExportStalledError(stallMs);
    csv.destroy(stalled);
  };
  csv.on('data', (chunk: Buffer) => {
    if (out.destroyed) return;
    if (!out.write(chunk)) {
      csv.pause();
      void drained(out, stallMs, stall).then((cut) => {
        if (!cut) csv.resume();
      });
    }
  });
  for await (const p of products) {
    if (out.destroyed) throw stalled ?? new ExportAbortedError();
    const fields = channelFields(channel, p);
    const row = columns.map((c) => spreadsheetSafeText(fields[c] ?? ''));
    if (!csv.write(row)) await once(csv, 'drain');
  }
  csv.end();
  try {
    await piped;
  } finally {
    out.off('close', abort);
  }
}
