import type { CsvDialectDefinition } from './csv.dialect.js';

/** A Merchant Center style CSV: every column maps on its own. */
export const GENERIC_CSV_DIALECT: CsvDialectDefinition = {
  name: 'GENERIC',
  columns: {},
  create(table, sink) {
    return {
      row(cells, line) {
        const fields = {};
        table.copy(fields, cells);
        table.override(fields, cells);
        sink.item(line, fields);
      },
      end() {},
    };
  },
};

const META_IMAGE_URL = /^image\[(\d+)\]\.url$/;

/**
 * Meta (Facebook) catalog CSV: Merchant Center columns plus indexed nested headers. `image[n].url`
 * columns are images (the first one the main image unless an `image_link` column exists); tags and
 * other nested or app columns stay custom.
 */
export function metaCsvDialect(headers: readonly string[]): CsvDialectDefinition {
  const keys = headers.map((header) => header.toLowerCase());
  const hasImageLink = keys.includes('image_link');
  const firstImage = keys
    .map((key) => META_IMAGE_URL.exec(key))
    .filter((match): match is RegExpExecArray => match !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]))[0]?.[0];
  return {
    ...GENERIC_CSV_DIALECT,
    name: 'META',
    columns: {
      maps(key) {
        if (!META_IMAGE_URL.test(key)) return undefined;
        return !hasImageLink && key === firstImage ? 'image_link' : 'additional_image_link';
      },
    },
  };
}
