import { ATTRIBUTE_BY_NAME, CUSTOM_PREFIX, encodeAttributeGroup, resolveHeader } from '@brandshelf/catalog-rules';
import { SaxesParser } from 'saxes';
import type { FeedEventQueue } from './feed-event.queue.js';
import { readerIssue } from './feed.issues.js';
import { FeedReadError } from './feed-read.error.js';
import type { FeedReadMeta, XmlDialect } from './feed.types.js';
import type { FeedTextReader, ReaderLimits } from './feed-text.reader.js';
import { addField, fieldMode, mappingFor, type FieldMode, type ItemFields } from './item-fields.builder.js';
import { doctypeForbidden, XmlInputFilter } from './xml-input.filter.js';

export const GOOGLE_NAMESPACE = 'http://base.google.com/ns/1.0';

/** Element names that wrap one product in the feed formats we know (RSS, Atom, shop exports, YML). */
const KNOWN_ITEM_ELEMENTS = new Set(['item', 'entry', 'product', 'offer', 'shopitem', 'listing']);

/** Google-namespace elements win over plain ones of the same attribute (Atom `<id>` vs `<g:id>`). */
const GOOGLE_PRIORITY = 1;
const PLAIN_PRIORITY = 0;

/**
 * Deepest element nesting read inside an item (its direct children are level 1). Product attributes need
 * two or three levels (`<g:shipping><g:country>`); a deeper item is rejected with `XML_TOO_DEEP`, and its
 * deeper elements are walked without building paths, so a hostile nesting costs linear time.
 */
export const MAX_XML_ITEM_DEPTH = 32;

/**
 * Most values (elements with text, and attributes) one item may have, as a CSV record may have MAX_CSV_COLUMNS
 * cells: each becomes a field, so an item of a million one-character elements or attributes, well within the
 * record's bytes, cost hundreds of MB. A larger item is rejected with RECORD_TOO_LARGE and reading goes on.
 */
export const MAX_XML_ITEM_VALUES = 10_000;

interface FieldTarget {
  attribute: string;
  priority: number;
  mode: FieldMode;
  /** A `group` attribute (shipping, tax): its child elements are the parts of one value. */
  group?: boolean;
}

export interface XmlReaderSetup {
  meta: Pick<FeedReadMeta, 'encoding' | 'compression'>;
  columnMapping?: Record<string, string> | null;
  xmlItemElement?: string | null;
  limits: ReaderLimits;
}

interface Frame {
  name: string;
  /** Path inside the item (`shipping.country`), null outside items and for the item element. */
  path: string | null;
  text: string;
  hasChild: boolean;
  attributes: Record<string, string> | null;
  oversize: boolean;
  ampersands: number;
  /**
   * A direct child of the item that is a `group` attribute (`<g:shipping>`): its children's names and texts, kept
   * together as one value so that an optional part left out of one group cannot shift the parts of the next (the
   * flattened lists `custom:shipping.region` did). Undefined until a child opens; null when the element is no group.
   */
  group?: Array<[string, string]> | null;
}

interface ItemState {
  /** Stack index of the item element. */
  depth: number;
  name: string;
  /** Auto-detection: a child of the root not yet known to be an item. */
  tentative: boolean;
  hasChildElements: boolean;
  fields: ItemFields;
  priorities: Map<string, number>;
  size: number;
  rejection: {
    code: 'CELL_TOO_LARGE' | 'RECORD_TOO_LARGE' | 'XML_TOO_DEEP';
    attribute: string | null;
    value: string;
    /** RECORD_TOO_LARGE for its number of values (MAX_XML_ITEM_VALUES), not its bytes. */
    tooManyValues?: boolean;
  } | null;
  /** Values offered to the item so far (addValue calls), kept or not. */
  values: number;
  ampersands: number;
  ampersandAttribute: string | null;
  duplicates: { attribute: string; value: string }[];
}

/**
 * XML feed text → items, one item in memory at a time. Items are `rss/channel/item` (Google RSS),
 * `feed/entry` (Atom), `xmlItemElement`, another known wrapper (product, offer, …) or, failing those,
 * the repeated child of the root. Direct children map through the column mapping and the attribute
 * table (Google-namespace and plain names alike, `g:` taking precedence); the children of a group attribute
 * (`<g:shipping>`, `<g:tax>`) become one value of it (encodeAttributeGroup); other nested elements flatten to
 * `custom:<parent>.<child>`; element attributes to `custom:<path>@<name>`; Atom `<link href>` is the link.
 */
export class XmlFeedReader implements FeedTextReader {
  private readonly parser = new SaxesParser({ xmlns: false, position: true });
  private readonly filter: XmlInputFilter;
  private readonly stack: Frame[] = [];
  private readonly googlePrefixes = new Set(['g']);
  private readonly topAttributes = new Map<string, FieldTarget>();
  private defaultGoogle = false;
  private dialect: XmlDialect = 'CUSTOM_XML';
  private itemName: string | null;
  private item: ItemState | null = null;
  /** Auto-detection: a finished candidate waiting for a sibling of the same name to confirm it. */
  private candidate: ItemState | null = null;
  private items = 0;
  private pendingAmpersands = 0;
  private pendingTruncation = false;
  private ampersandOutsideItems = false;
  private started = false;
  private lineOffset = 0;

  constructor(
    private readonly queue: FeedEventQueue,
    private readonly setup: XmlReaderSetup,
  ) {
    this.itemName = setup.xmlItemElement?.trim().toLowerCase() || null;
    this.filter = new XmlInputFilter(
      {
        text: (chunk) => this.parser.write(chunk),
        bareAmpersand: () => this.pendingAmpersands++,
        textTruncated: () => (this.pendingTruncation = true),
      },
      setup.limits.maxCellBytes,
      setup.limits.maxRecordBytes,
    );
    this.parser.on('error', (error) => {
      throw this.malformed(error.message);
    });
    this.parser.on('doctype', () => {
      throw doctypeForbidden();
    });
    this.parser.on('opentag', (tag) => this.onOpen(tag.name, tag.attributes));
    this.parser.on('closetag', (tag) => this.onClose(tag.name));
    this.parser.on('text', (text) => this.onText(text));
    this.parser.on('cdata', (text) => this.onText(text));
  }

  write(text: string): void {
    if (!this.started) {
      // Generated feeds often put blank lines before `<?xml`, which must come first.
      const start = text.search(/\S/);
      if (start < 0) {
        this.lineOffset += countLines(text);
        return;
      }
      this.lineOffset += countLines(text.slice(0, start));
      text = text.slice(start);
      this.started = true;
    }
    this.filter.write(text);
  }

  end(): void {
    this.filter.end();
    this.parser.close();
    if (this.candidate) this.emit(this.candidate);
    if (this.ampersandOutsideItems) {
      this.queue.issue(
        readerIssue(
          'WARNING',
          'XML_UNESCAPED_AMPERSAND',
          0,
          'Outside the items, the XML has a raw "&" that starts no entity; it was read as a literal "&".',
        ),
      );
    }
    if (this.items === 0) {
      this.queue.issue(
        readerIssue(
          'WARNING',
          'NO_ITEMS',
          0,
          `The XML has no items${this.itemName ? ` (<${this.itemName}> elements)` : ''}.`,
          {
            hint: 'Check that the feed lists its products, and set the item element name if the feed uses an unusual one.',
          },
        ),
      );
    }
  }

  private onOpen(name: string, attributes: Record<string, string>): void {
    const depth = this.stack.length;
    if (depth === 0) this.startDocument(name);
    this.scanNamespaces(attributes);
    const local = localName(name);
    const lower = local.toLowerCase();
    let item = this.item;
    if (item?.tentative && !this.setup.xmlItemElement && KNOWN_ITEM_ELEMENTS.has(lower)) {
      // The candidate was a wrapper (an RSS channel, a shop element); the known element is the item.
      item = this.item = null;
    }

    if (item) {
      const parent = this.stack[depth - 1];
      parent.hasChild = true;
      item.hasChildElements = true;
      if (depth - item.depth > MAX_XML_ITEM_DEPTH) {
        // Too deep: no path, so no text or value is kept below here (and nothing is concatenated per level).
        if (item.rejection?.code !== 'XML_TOO_DEEP') {
          item.rejection = { code: 'XML_TOO_DEEP', attribute: null, value: parent.path ?? '' };
          item.fields = {};
        }
        this.stack.push(this.frame(name, null, null));
        return;
      }
      this.countAttributes(item, attributes);
      // Decided when the first child opens, so a feed without nested elements pays nothing for it.
      if (depth - item.depth === 2 && parent.group === undefined) {
        parent.group = this.topAttribute(parent.name).group ? [] : null;
      }
      const google = this.isGoogle(name);
      const part = google ? local : name;
      const frame = this.frame(name, parent.path === null ? part : `${parent.path}.${part}`, attributes);
      this.stack.push(frame);
      this.takeAmpersands(frame);
      return;
    }

    const frame = this.frame(name, null, null);
    this.stack.push(frame);
    if (depth === 0) return;
    const starts = this.startsItem(lower, name, depth);
    if (!starts) {
      this.takeAmpersands(frame);
      return;
    }
    item = this.item = newItem(depth, name, starts === 'tentative');
    this.countAttributes(item, attributes);
    this.takeAmpersands(frame);
    for (const [attribute, value] of Object.entries(attributes)) {
      if (isNamespaceDeclaration(attribute)) continue;
      const target = this.topAttribute(attribute);
      this.addValue(item, target.attribute, value, target.priority, target.mode);
    }
  }

  /** Attributes are the item's bytes as its text is: without this they passed the record limit uncounted. */
  private countAttributes(item: ItemState, attributes: Record<string, string>): void {
    if (item.rejection) return;
    for (const key in attributes) item.size += key.length + attributes[key].length;
    if (item.size > this.setup.limits.maxRecordBytes) {
      item.rejection = { code: 'RECORD_TOO_LARGE', attribute: null, value: '' };
      item.fields = {};
    }
  }

  private onText(text: string): void {
    const frame = this.stack[this.stack.length - 1];
    if (!frame) return;
    this.takeAmpersands(frame);
    if (this.pendingTruncation) {
      this.pendingTruncation = false;
      frame.oversize = true;
    }
    const item = this.item;
    if (!item || frame.path === null || frame.hasChild || item.rejection) return;
    frame.text += text;
    item.size += text.length;
    if (item.size > this.setup.limits.maxRecordBytes) {
      item.rejection = { code: 'RECORD_TOO_LARGE', attribute: null, value: '' };
      item.fields = {};
    }
  }

  private onClose(name: string): void {
    const frame = this.stack.pop()!;
    const item = this.item;
    if (!item) return;
    if (this.stack.length === item.depth) {
      this.item = null;
      this.finishItem(item, localName(name).toLowerCase());
      return;
    }
    if (frame.path === null) return;
    const top = this.stack.length === item.depth + 1;
    const target = top ? this.topAttribute(frame.name) : this.nestedAttribute(frame.path);
    const attribute = target.attribute;
    if (frame.ampersands) {
      item.ampersands += frame.ampersands;
      item.ampersandAttribute ??= attribute;
    }
    if (frame.oversize && !item.rejection) {
      item.rejection = { code: 'CELL_TOO_LARGE', attribute, value: frame.text.slice(0, 200) };
      item.fields = {};
    }
    if (item.rejection) return;

    let consumed: Set<string> | null = null;
    if (!frame.hasChild) {
      let value = frame.text;
      const attributes = frame.attributes;
      if (!value.trim() && attributes?.href && localName(frame.name).toLowerCase() === 'link') {
        // Atom: <link rel="alternate" href="…"/>; other relations are kept as custom.
        const rel = attributes.rel?.trim();
        consumed = new Set(['href', 'rel']);
        if (rel && rel !== 'alternate') {
          this.addValue(item, `${CUSTOM_PREFIX}${frame.path}.${rel}`, attributes.href, PLAIN_PRIORITY);
          value = '';
        } else {
          value = attributes.href;
        }
      }
      if (
        value.length * 3 > this.setup.limits.maxCellBytes &&
        Buffer.byteLength(value) > this.setup.limits.maxCellBytes
      ) {
        item.rejection = { code: 'CELL_TOO_LARGE', attribute, value: value.slice(0, 200) };
        item.fields = {};
        return;
      }
      const group = top ? null : this.stack[this.stack.length - 1].group;
      if (group && this.stack.length === item.depth + 2 && !mappingFor(this.setup.columnMapping, frame.path)) {
        if (++item.values > MAX_XML_ITEM_VALUES) return this.tooManyValues(item);
        group.push([localName(frame.name).toLowerCase(), value]);
      } else if (value) this.addValue(item, attribute, value, target.priority, target.mode);
    } else if (frame.group?.length) {
      this.addValue(item, attribute, encodeAttributeGroup(frame.group), target.priority, target.mode);
    }
    if (frame.attributes) {
      for (const [key, value] of Object.entries(frame.attributes)) {
        if (isNamespaceDeclaration(key) || consumed?.has(key)) continue;
        this.addValue(item, `${CUSTOM_PREFIX}${frame.path}@${key}`, value, PLAIN_PRIORITY);
      }
    }
  }

  private finishItem(item: ItemState, lower: string): void {
    if (!item.tentative) {
      this.emit(item);
      return;
    }
    // A leaf child of the root (a title, a date) is not an item.
    if (!item.hasChildElements) return;
    if (this.candidate && this.candidate.name === lower) {
      this.itemName = lower;
      this.emit(this.candidate);
      this.candidate = null;
      this.emit(item);
      return;
    }
    this.candidate = item;
  }

  private emit(item: ItemState): void {
    const row = ++this.items;
    this.queue.rowRead();
    const fields = item.fields;
    const id = typeof fields.id === 'string' ? fields.id : null;
    if (item.rejection) {
      const { code, attribute, value, tooManyValues } = item.rejection;
      if (code === 'XML_TOO_DEEP') {
        this.queue.issue(
          readerIssue(
            'ERROR',
            code,
            row,
            `The item nests elements more than ${MAX_XML_ITEM_DEPTH} levels deep, so it was not read.`,
            {
              attribute,
              value,
              hint: `Flatten the item to at most ${MAX_XML_ITEM_DEPTH} levels below <${item.name}>: product attributes need two or three (<g:shipping><g:country>); the value shows the path where the limit was passed.`,
            },
          ),
        );
        return;
      }
      const limit = code === 'CELL_TOO_LARGE' ? this.setup.limits.maxCellBytes : this.setup.limits.maxRecordBytes;
      this.queue.issue(
        readerIssue(
          'ERROR',
          code,
          row,
          code === 'CELL_TOO_LARGE'
            ? `An element of the item is larger than ${limit} bytes, so the item was not read.`
            : tooManyValues
              ? `The item has more than ${MAX_XML_ITEM_VALUES} values (elements and attributes), so it was not read.`
              : `The item is larger than ${limit} bytes, so it was not read.`,
          {
            attribute,
            value,
            // The catalogue's hints speak of CSV's runaway quotes, which XML has not.
            hint: tooManyValues
              ? 'Give the item only its product attributes: no product needs that many elements or attributes (a repeated element or a generated attribute list is the usual cause).'
              : 'Shorten the value; a product attribute never needs that much text (embedded images are a common cause).',
          },
        ),
      );
      return;
    }
    this.queue.item({ row, fields });
    if (item.ampersands) {
      this.queue.issue(
        readerIssue(
          'WARNING',
          'XML_UNESCAPED_AMPERSAND',
          row,
          `${item.ampersands === 1 ? 'A raw "&"' : `${item.ampersands} raw "&" characters`} that start${item.ampersands === 1 ? 's' : ''} no entity ${item.ampersands === 1 ? 'was' : 'were'} read as a literal "&" (the XML is not well-formed there).`,
          {
            attribute: item.ampersandAttribute,
            value: item.ampersandAttribute ? fields[item.ampersandAttribute] : null,
            itemId: id,
          },
        ),
      );
    }
    for (const duplicate of item.duplicates) {
      this.queue.issue(
        readerIssue(
          'WARNING',
          'DUPLICATE_ELEMENT',
          row,
          `The item gives ${duplicate.attribute} more than once; the first value is used.`,
          {
            attribute: duplicate.attribute,
            value: duplicate.value,
            itemId: id,
            hint: `Give ${duplicate.attribute} once per item.`,
          },
        ),
      );
    }
  }

  private addValue(
    item: ItemState,
    attribute: string,
    value: string,
    priority: number,
    mode = fieldMode(attribute),
  ): void {
    // An empty attribute is a column mapping that ignores the element.
    if (item.rejection || !attribute || !value.trim()) return;
    if (++item.values > MAX_XML_ITEM_VALUES) return this.tooManyValues(item);
    const previous = item.priorities.get(attribute);
    if (previous !== undefined && priority > previous && typeof item.fields[attribute] === 'string') {
      delete item.fields[attribute];
    }
    if (addField(item.fields, attribute, value, mode)) {
      if (previous === undefined || priority > previous) item.priorities.set(attribute, priority);
    } else if (priority >= (previous ?? 0)) {
      item.duplicates.push({ attribute, value: value.trim() });
    }
  }

  private tooManyValues(item: ItemState): void {
    item.rejection = { code: 'RECORD_TOO_LARGE', attribute: null, value: '', tooManyValues: true };
    item.fields = {};
    item.priorities.clear();
    item.duplicates = [];
  }

  private startDocument(root: string): void {
    const lower = localName(root).toLowerCase();
    this.dialect = lower === 'rss' ? 'GOOGLE_RSS' : lower === 'feed' ? 'GOOGLE_ATOM' : 'CUSTOM_XML';
    // RSS and Atom say what an item is; only other dialects need detection.
    if (!this.itemName && this.dialect !== 'CUSTOM_XML')
      this.itemName = this.dialect === 'GOOGLE_RSS' ? 'item' : 'entry';
    const { encoding, compression } = this.setup.meta;
    this.queue.meta({ format: 'XML', dialect: this.dialect, encoding, ...(compression ? { compression } : {}) });
  }

  private startsItem(lower: string, name: string, depth: number): 'yes' | 'tentative' | null {
    if (this.itemName) return lower === this.itemName || name.toLowerCase() === this.itemName ? 'yes' : null;
    if (KNOWN_ITEM_ELEMENTS.has(lower)) {
      this.itemName = lower;
      this.candidate = null;
      return 'yes';
    }
    if (depth !== 1) return null;
    if (this.candidate && this.candidate.name !== lower) this.candidate = null;
    return 'tentative';
  }

  private scanNamespaces(attributes: Record<string, string>): void {
    for (const key in attributes) {
      if (!isNamespaceDeclaration(key) || attributes[key].trim() !== GOOGLE_NAMESPACE) continue;
      if (key === 'xmlns') this.defaultGoogle = true;
      else this.googlePrefixes.add(key.slice(6));
    }
  }

  private isGoogle(name: string): boolean {
    const colon = name.indexOf(':');
    return colon < 0 ? this.defaultGoogle : this.googlePrefixes.has(name.slice(0, colon));
  }

  /** What a direct child of an item (or an attribute of the item element) fills; cached per name. */
  private topAttribute(name: string): FieldTarget {
    let target = this.topAttributes.get(name);
    if (target) return target;
    const google = this.isGoogle(name);
    const local = localName(name);
    const prefixed = name.includes(':');
    const mapped =
      mappingFor(this.setup.columnMapping, name) ?? (prefixed ? mappingFor(this.setup.columnMapping, local) : null);
    let attribute: string;
    if (mapped) attribute = mapped.target ?? '';
    else if (this.dialect === 'GOOGLE_ATOM' && !prefixed && local.toLowerCase() === 'summary')
      attribute = 'description';
    else if (google || !prefixed) attribute = resolveHeader(local)?.name ?? `${CUSTOM_PREFIX}${google ? local : name}`;
    else attribute = `${CUSTOM_PREFIX}${name}`;
    target = { attribute, priority: google || mapped ? GOOGLE_PRIORITY : PLAIN_PRIORITY, mode: fieldMode(attribute) };
    if (ATTRIBUTE_BY_NAME.get(attribute)?.kind === 'group') target.group = true;
    this.topAttributes.set(name, target);
    return target;
  }

  private nestedAttribute(path: string): FieldTarget {
    const mapped = mappingFor(this.setup.columnMapping, path);
    const attribute = mapped ? (mapped.target ?? '') : `${CUSTOM_PREFIX}${path}`;
    return { attribute, priority: PLAIN_PRIORITY, mode: fieldMode(attribute) };
  }

  private frame(name: string, path: string | null, attributes: Record<string, string> | null): Frame {
    let hasAttributes = false;
    for (const _ in attributes) {
      hasAttributes = true;
      break;
    }
    return {
      name,
      path,
      text: '',
      hasChild: false,
      attributes: hasAttributes ? attributes : null,
      oversize: false,
      ampersands: 0,
      group: undefined,
    };
  }

  private takeAmpersands(frame: Frame): void {
    if (this.pendingAmpersands === 0) return;
    if (this.item && frame.path !== null) frame.ampersands += this.pendingAmpersands;
    else if (this.item) this.item.ampersands += this.pendingAmpersands;
    else this.ampersandOutsideItems = true;
    this.pendingAmpersands = 0;
  }

  private malformed(message: string): FeedReadError {
    const line = this.parser.line + this.lineOffset;
    const detail = message.replace(/^(?:[^:]*:)?\d+:\d+:\s*/, '');
    const inItem = this.item !== null && !this.item.tentative;
    return new FeedReadError(
      'XML_MALFORMED',
      `The XML is not well-formed at line ${line}, column ${this.parser.column}: ${detail}`,
      {
        hint: `Fix the XML near line ${line} (an unclosed or mismatched tag, or a stray "<"); validate the file with an XML checker.`,
        row: inItem ? this.items + 1 : undefined,
      },
    );
  }
}

function newItem(depth: number, name: string, tentative: boolean): ItemState {
  return {
    depth,
    name: localName(name).toLowerCase(),
    tentative,
    hasChildElements: false,
    fields: {},
    priorities: new Map(),
    size: 0,
    values: 0,
    rejection: null,
    ampersands: 0,
    ampersandAttribute: null,
    duplicates: [],
  };
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function isNamespaceDeclaration(attribute: string): boolean {
  return attribute === 'xmlns' || attribute.startsWith('xmlns:');
}

function countLines(text: string): number {
  let lines = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  return lines;
}
