import type { ItemIssue } from '@brandshelf/catalog-rules';
import type { FeedEvent, FeedReadMeta, RawItem } from './feed.types.js';
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

  get itemCount(): number {
    return this.items;
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

  /** Takes everything queued so far; held events too once `force` is set (a fatal error ends the feed). */
  take(force = false): FeedEvent[] {
    const out = this.events;
    this.events = [];
    if (force && this.held) {
      out.push(...this.held);
      this.held = [];
    }
    return out;
  }

  private push(event: FeedEvent): void {
    if (this.held) this.held.push(event);
    else this.events.push(event);
  }
}
