import type { ItemIssue } from '@brandshelf/catalog-rules';
import type { FeedEvent, FeedReadMeta, RawItem, RowSkipReason } from './feed.types.js';
import type { LinkBuilder, LinkParts } from './link.template.js';

/**
 * Events produced by the push-style parsers while one input chunk is processed; the reader drains
 * them before it pulls the next chunk, which is what keeps memory bounded. Anything produced before
 * the meta event is held back so that meta always comes first.
 */
export class FeedEventQueue {
  private events: FeedEvent[] = [];
  private held: FeedEvent[] | null = [];
  private items = 0;
  /** Fills `link` for items without one (feed settings storeUrl / linkTemplate); set by the reader that knows the dialect. */
  links: LinkBuilder | null = null;
  private rows = 0;
  private reportedRows = 0;

  get itemCount(): number {
    return this.items;
  }

  get rowCount(): number {
    return this.rows;
  }

  get hasMeta(): boolean {
    return this.held === null;
  }

  meta(meta: FeedReadMeta): void {
    this.events.push({ type: 'meta', meta });
    if (this.held) this.events.push(...this.held);
    this.held = null;
  }

  item(item: RawItem, link?: LinkParts): void {
    this.items++;
    this.links?.fill(item.fields, link);
    this.push({ type: 'item', item });
  }

  issue(issue: ItemIssue): void {
    this.push({ type: 'issue', issue });
  }

  skip(row: number, reason: RowSkipReason): void {
    this.push({ type: 'skip', row, reason });
  }

  /** Counts one data row read, whatever becomes of it (an item, a row error or a skip). */
  rowRead(): void {
    this.rows++;
  }

  /** Takes everything queued so far; held events too once `force` is set (a fatal error ends the feed). */
  take(force = false): FeedEvent[] {
    const out = this.events;
    this.events = [];
    if (force && this.held) {
      out.push(...this.held);
      this.held = [];
    }
    // After the batch, so the count never runs ahead of the items and skips it covers.
    if (this.rows !== this.reportedRows && (this.held === null || force)) {
      out.push({ type: 'rows', rowsRead: this.rows });
      this.reportedRows = this.rows;
    }
    return out;
  }

  private push(event: FeedEvent): void {
    if (this.held) this.held.push(event);
    else this.events.push(event);
  }
}
