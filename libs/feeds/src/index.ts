export { readFeed } from './feed.reader.js';
export { sniffFormat, type FeedSniff, type NotAFeed } from './format.sniffer.js';
export { detectDialect } from './dialect.detector.js';
export { optionAttribute } from './variant-option.mapper.js';
export { FeedReadError } from './feed-read.error.js';
export { DEFAULT_MAX_CELL_BYTES, DEFAULT_MAX_RECORD_BYTES } from './feed-text.reader.js';
export {
  CSV_DIALECTS,
  FEED_DIALECTS,
  FEED_FORMATS,
  FEED_FORMAT_SETTINGS,
  ROW_SKIP_REASONS,
  XML_DIALECTS,
} from './feed.types.js';
export type {
  CsvDialect,
  FeedColumn,
  FeedDialect,
  FeedEvent,
  FeedFormat,
  FeedFormatSetting,
  FeedReadMeta,
  FeedReadOptions,
  RawItem,
  RowSkipReason,
  XmlDialect,
} from './feed.types.js';
