import type { IssueSeverity } from './issue.js';

/**
 * Who raises a code, and so where it shows:
 * - RULE: the item validator (this library); an item issue.
 * - READER: a feed reader or dialect (libs/feeds); an item or file issue that does not stop the run.
 * - STAGE: the ingestion pipeline while staging (libs/ingestion); an item issue.
 * - IMAGE: the images step (libs/media, libs/ingestion/src/images); an item issue on image_link or
 *   additional_image_link.
 * - READ_ERROR: a problem that stops reading a file (libs/feeds `FeedReadError`); the run fails with it
 *   and it is also stored as a file issue (row 0 or the row it is at).
 * - SYNC_ERROR: a store sync that cannot go on (libs/shopify); stored like a READ_ERROR.
 * - RUN_ERROR: a run that fails as a whole before or after reading (fetch, storage, quota, our side);
 *   only the run's error carries it.
 * - LEFT_OUT: why a publish left an item out, besides its main image's IMAGE code (libs/catalog).
 */
export type CodeKind = 'RULE' | 'READER' | 'STAGE' | 'IMAGE' | 'READ_ERROR' | 'SYNC_ERROR' | 'RUN_ERROR' | 'LEFT_OUT';

export interface CodeInfo {
  kind: CodeKind;
  /** Severity the code is normally raised with; `note` says when it is raised with the other one. Run errors are ERROR. */
  severity: IssueSeverity;
  /** What the code means, for docs, client UIs and the GraphQL enum value's description. */
  summary: string;
  /** The default fix; an issue may carry a more specific one. */
  hint: string;
  note?: string;
}

/**
 * Every code Brandshelf stores or returns, once: item issues, run errors and image codes. Codes are
 * stable: clients switch on them (they are the values of the GraphQL enums IssueCode and RunErrorCode),
 * so rename none. An issue's `message` says what was found in that row; its `hint` starts from the one here.
 * Where a code is raised, its type is derived from this object, so the compiler refuses a code missing here.
 */
export const CODES = {
  MISSING_REQUIRED: {
    kind: 'RULE',
    severity: 'ERROR',
    summary: 'A required attribute is missing or empty.',
    hint: 'Fill in the attribute for this item; Merchant Center rejects items without it.',
    note: 'Required in a full (REPLACE) feed: id, title, description, link, image_link, availability, price. In an UPDATE_ONLY feed only id is.',
  },
  MISSING_BRAND: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: 'The item has no brand.',
    hint: "Add the manufacturer's brand name in a brand column; use your shop name for products you make yourself.",
  },
  MISSING_IDENTIFIER: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: 'The item has neither a GTIN nor an MPN.',
    hint: 'Add the barcode (GTIN/EAN/UPC) or the manufacturer part number; for custom or handmade goods without one, set identifier_exists to "no".',
  },
  INVALID_IDENTIFIER_EXISTS: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: 'identifier_exists is not yes/no.',
    hint: 'Write "yes" or "no" in identifier_exists (or leave it empty).',
  },
  VALUE_TOO_LONG: {
    kind: 'RULE',
    severity: 'ERROR',
    summary: 'A value is longer than Merchant Center allows.',
    hint: 'Shorten the value to the limit given in the message.',
    note: 'ERROR (item rejected) for id, link and image_link; WARNING for text, which is cut at a word boundary, and for optional URLs and identifiers, which are dropped. The message says which.',
  },
  INVALID_CHARACTERS: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: 'Control or replacement characters were removed from a value.',
    hint: 'Remove invisible control characters from the source data, and export the file as UTF-8 so letters are not replaced by "�".',
    note: 'The message names the characters (U+0007, …) and the position of the first in the value as sent.',
  },
  BIDI_CONTROL_CHARACTERS: {
    kind: 'RULE',
    severity: 'WARNING',
    summary:
      'Bidirectional embedding, override or isolate controls (U+202A–U+202E, U+2066–U+2069) were removed from a value; they reorder the text around them wherever it is shown, and Merchant Center refuses them.',
    hint: 'Remove the invisible direction controls from the source data (they often come with text copied from a web page or a word processor); Arabic and Hebrew text needs none of them.',
    note: 'The message names the characters and the position of the first in the value as sent. Letters, emoji sequences (ZWJ) and the marks U+200E, U+200F and U+061C are kept.',
  },
  DUPLICATE_ID: {
    kind: 'RULE',
    severity: 'ERROR',
    summary: 'Another item earlier in the same feed has the same id.',
    hint: 'Give every item its own id. Variants of one product need distinct ids that share an item_group_id.',
  },
  INVALID_URL: {
    kind: 'RULE',
    severity: 'ERROR',
    summary: 'A URL is not an absolute http(s) address.',
    hint: 'Use a full address starting with https://, e.g. https://shop.example.com/products/red-shirt.',
    note: 'ERROR for link and image_link; WARNING for mobile_link and additional_image_link, whose bad URLs are dropped.',
  },
  PROTOCOL_RELATIVE_URL: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: 'A URL starting with // was assumed to be https.',
    hint: 'Write the scheme explicitly: https://host/path instead of //host/path.',
  },
  TOO_MANY_ADDITIONAL_IMAGES: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: 'More than 10 additional images; only the first 10 are kept.',
    hint: 'List at most 10 additional_image_link URLs, best first.',
  },
  INVALID_PRICE: {
    kind: 'RULE',
    severity: 'ERROR',
    summary: 'A price is unreadable, has too many decimals for its currency, or is not positive.',
    hint: 'Write the amount with a dot as decimal separator and the ISO currency code, e.g. 1234.50 USD.',
    note: 'WARNING (and the sale price is ignored) for a sale_price of 0, which exports often use for "no sale".',
  },
  INVALID_CURRENCY: {
    kind: 'RULE',
    severity: 'ERROR',
    summary:
      "The currency is not a current ISO 4217 code, or is a symbol with no safe default (kr, ¥, Rs) that the feed's defaultCurrency does not settle.",
    hint: 'Write a three-letter ISO 4217 code after the amount, e.g. 49.00 EUR or 499.00 SEK.',
  },
  MISSING_CURRENCY: {
    kind: 'RULE',
    severity: 'ERROR',
    summary: 'A price has no currency and the feed has no default currency.',
    hint: "Set the feed's defaultCurrency setting to the shop's currency (shop exports write prices without one), or add the currency code after the amount (6900 SEK).",
  },
  AMBIGUOUS_CURRENCY: {
    kind: 'RULE',
    severity: 'WARNING',
    summary:
      'A price uses a symbol several currencies share ($, £) and the feed has no defaultCurrency naming one of them; the usual one (USD, GBP) was assumed.',
    hint: "Set the feed's defaultCurrency to the shop's currency, or write the ISO code after the amount (19.99 CAD).",
    note: 'Symbols with no safe default (kr, ¥, Rs) are INVALID_CURRENCY errors instead.',
  },
  CURRENCY_MISMATCH: {
    kind: 'RULE',
    severity: 'ERROR',
    summary: 'sale_price is in a different currency from price.',
    hint: 'Give price and sale_price in the same currency.',
  },
  SALE_PRICE_ABOVE_PRICE: {
    kind: 'RULE',
    severity: 'ERROR',
    summary: 'sale_price is higher than price.',
    hint: 'Put the regular price in price and the lower, discounted price in sale_price; remove sale_price when there is no sale.',
  },
  SALE_PRICE_NOT_IN_EFFECT: {
    kind: 'RULE',
    severity: 'WARNING',
    summary:
      "The sale's sale_price_effective_date window has ended or not begun when the run read the item: sale_price was ignored and the item is shown at its price.",
    hint: "A sale that starts later is applied when it starts: the scheduler reads the live version's file again then (a SALE_WINDOW run; publish it by hand on a feed without autoPublish). Remove sale_price (and its window) once the sale is over.",
  },
  INVALID_AVAILABILITY: {
    kind: 'RULE',
    severity: 'ERROR',
    summary: 'availability is not one of in_stock, out_of_stock, preorder, backorder.',
    hint: 'Write one of: in_stock, out_of_stock, preorder, backorder.',
  },
  MISSING_AVAILABILITY_DATE: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: 'A preorder or backorder item has no availability_date.',
    hint: 'Add availability_date with the date the item ships, e.g. 2025-03-01 or 2025-03-01T09:00+01:00.',
  },
  INVALID_DATE: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: 'A date is not an ISO 8601 date; it is ignored.',
    hint: 'Write the date as YYYY-MM-DD, optionally with a time and offset: 2025-03-01T09:00+01:00.',
  },
  INVALID_CONDITION: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: 'condition is not new, refurbished or used; it is ignored.',
    hint: 'Write one of: new, refurbished, used.',
  },
  INVALID_GTIN: {
    kind: 'RULE',
    severity: 'ERROR',
    summary: 'The GTIN contains characters other than digits, or is a placeholder.',
    hint: 'Copy the 8, 12, 13 or 14 digit barcode number from the packaging; leave gtin empty if the product has none.',
  },
  INVALID_GTIN_LENGTH: {
    kind: 'RULE',
    severity: 'ERROR',
    summary: 'The GTIN is not 8, 12, 13 or 14 digits long.',
    hint: 'Use the full 8, 12, 13 or 14 digit barcode. An 11-digit value is often a UPC whose leading zero a spreadsheet dropped: format the column as text and re-export.',
  },
  INVALID_GTIN_CHECK_DIGIT: {
    kind: 'RULE',
    severity: 'ERROR',
    summary: "The GTIN's last digit (check digit) does not match the others.",
    hint: 'Re-copy the barcode from the packaging or the supplier; one digit is probably mistyped.',
  },
  RESTRICTED_GTIN: {
    kind: 'RULE',
    severity: 'ERROR',
    summary:
      'The GTIN is from a restricted range (in-store numbers 02/04/2xx, coupons 98/99) and cannot identify a product for sale.',
    hint: 'Use the GTIN assigned by the manufacturer, not an in-store or coupon number; leave gtin empty if there is none.',
  },
  DUPLICATE_GTIN: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: 'Another item earlier in the same feed has the same GTIN.',
    hint: 'Each distinct product needs its own GTIN; if you do not have one, leave gtin empty and set identifier_exists=no.',
  },
  MPN_SPREADSHEET_DAMAGED: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: 'A spreadsheet turned the MPN into scientific notation; its digits are lost, so it is ignored.',
    hint: 'Format the MPN column as text in the spreadsheet, write the real part numbers back in, and re-export.',
  },
  ID_SPREADSHEET_DAMAGED: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: 'A spreadsheet turned the id (or item_group_id) into scientific notation; its digits are lost.',
    hint: 'Format the id column as text in the spreadsheet, write the real ids (SKUs) back in, and re-export.',
  },
  GTIN_SPREADSHEET_DAMAGED: {
    kind: 'RULE',
    severity: 'ERROR',
    summary: 'A spreadsheet turned the barcode into scientific notation; its last digits are lost.',
    hint: 'Format the barcode column as text in the spreadsheet, paste the real barcodes back in, and re-export.',
  },
  GTIN_POSSIBLY_ROUNDED: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: 'The GTIN ends in a long run of zeros, as barcodes do after a spreadsheet rounded them.',
    hint: 'Check the barcode against the packaging; if the column was ever shown as 4.0112E+12, format it as text and re-enter the barcodes.',
  },
  GTIN_SPREADSHEET_APOSTROPHE: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: "A leading apostrophe (a spreadsheet's text marker) was removed from the GTIN.",
    hint: 'Export the barcode column as text without the leading apostrophe.',
  },
  UNKNOWN_GOOGLE_PRODUCT_CATEGORY: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: "google_product_category is not in Google's product taxonomy; it is ignored.",
    hint: "Use a numeric id or the full path from Google's product taxonomy, e.g. 212 or Apparel & Accessories > Clothing > Shirts & Tops.",
  },
  GOOGLE_PRODUCT_CATEGORY_SUGGESTED: {
    kind: 'RULE',
    severity: 'WARNING',
    summary:
      "The item has no google_product_category, or one not in Google's taxonomy; its title, product_type and description suggest one (id, path and confidence in the message).",
    hint: "Check the suggested category and write its id in google_product_category, or set the feed's acceptCategorySuggestionsAbove to use suggestions at least that confident.",
    note: 'Raised when the feed has suggestCategories or acceptCategorySuggestionsAbove set. The message says whether the suggestion was applied (its confidence above acceptCategorySuggestionsAbove).',
  },
  MISSING_VARIANT_ATTRIBUTE: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: 'An item with item_group_id has none of color, size, material, pattern.',
    hint: 'Add the attribute that tells the variants apart (color, size, material or pattern).',
  },
  INVALID_GENDER: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: 'gender is not male, female or unisex; it is ignored.',
    hint: 'Write one of: male, female, unisex.',
  },
  INVALID_AGE_GROUP: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: 'age_group is not newborn, infant, toddler, kids or adult; it is ignored.',
    hint: 'Write one of: newborn, infant, toddler, kids, adult.',
  },
  TITLE_ALL_CAPS: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: 'The title is written in capital letters only.',
    hint: 'Write the title in normal sentence or title case; Merchant Center disapproves excessive capitals.',
  },
  INVALID_QUANTITY: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: 'quantity is not a whole number of 0 or more.',
    hint: 'Write the stock count as a whole number, e.g. 12; use 0 when sold out.',
    note: 'A negative count is stored as 0; anything else unreadable is ignored.',
  },
  INVALID_SHIPPING_WEIGHT: {
    kind: 'RULE',
    severity: 'WARNING',
    summary: 'shipping_weight is not a number followed by a unit Merchant Center knows (lb, oz, g, kg); it is ignored.',
    hint: 'Write the weight as a number with a dot for decimals and a unit, e.g. 0.5 kg, 500 g, 1.2 lb or 12 oz.',
  },
  INVALID_SHIPPING: {
    kind: 'RULE',
    severity: 'WARNING',
    summary:
      'A shipping entry is unreadable: a country that is no ISO 3166-1 alpha-2 code, a missing or unreadable price, a handling or transit time that is no whole number of days, or the wrong number of colon-separated parts. That entry is ignored; the item and its other entries are kept.',
    hint: 'Write each entry as country:region:service:price, keeping the colons of empty parts, e.g. US:CA:Overnight:16.00 USD or US::Standard:4.95 USD; separate several with commas.',
    note: "The message names the entry (its position, and its text or XML parts) and the part that is wrong. A price written without a currency takes the item price's currency (or defaultCurrency).",
  },
  INVALID_TAX: {
    kind: 'RULE',
    severity: 'WARNING',
    summary:
      'A tax entry is unreadable: a country that is no ISO 3166-1 alpha-2 code, a rate that is not a percentage from 0 to 100, a tax_ship that is not yes or no, or the wrong number of colon-separated parts. That entry is ignored; the item and its other entries are kept.',
    hint: 'Write each entry as country:region:rate:tax_ship, e.g. US:CA:8.25:y (rate in percent, tax_ship y or n); separate several with commas.',
    note: 'The message names the entry and the part that is wrong.',
  },

  // Raised by the pipeline while staging.
  UNKNOWN_ITEM_ID: {
    kind: 'STAGE',
    severity: 'ERROR',
    summary: "A supplemental (UPDATE_ONLY) feed names an id no product of the brand's primary feeds has.",
    hint: 'A supplemental (UPDATE_ONLY) feed only updates existing products: add the item to a primary feed first, or fix the id.',
  },
  FEED_RULE_LIMIT: {
    kind: 'STAGE',
    severity: 'WARNING',
    summary:
      "A feed rule's condition or action was not applied to this item because a limit was hit: a value too long for its regular expression, a pattern switched off after taking longer than FEED_RULES_REGEX_TIMEOUT_MS, or a result too long.",
    hint: "Simplify the rule's pattern, or make it apply to shorter values; the message names the rule and the limit.",
  },

  FEED_RULES_TOO_SLOW: {
    kind: 'STAGE',
    severity: 'ERROR',
    summary:
      "The feed's rules took longer than FEED_RULES_ITEM_BUDGET_MS on this item and were stopped part-way, so it was not imported.",
    hint: 'Make the named rule (and those after it) do less on long values: fewer actions on the same attribute, conditions that skip long descriptions, or a shorter TRUNCATE first; previewFeedRules shows what each rule changes.',
  },

  // Raised by the readers (libs/feeds); the run goes on.
  ENCODING_FALLBACK: {
    kind: 'READER',
    severity: 'WARNING',
    summary: 'The file is not valid UTF-8 throughout; the bytes that are not UTF-8 were read as Windows-1252.',
    hint: 'Save the feed as UTF-8 (in Excel: "CSV UTF-8") so every character is read as written.',
  },
  RAGGED_ROW: {
    kind: 'READER',
    severity: 'ERROR',
    summary: 'A CSV row has a different number of columns from the header, so its values cannot be matched.',
    hint: 'Make every row have as many columns as the header: check for a missing or extra delimiter, or an unquoted cell that contains one.',
  },
  CELL_TOO_LARGE: {
    kind: 'READER',
    severity: 'ERROR',
    summary: 'A cell (or XML element) is larger than the reader accepts, so its row was not read.',
    hint: 'Shorten that cell; a product attribute never needs that much text (embedded images or a runaway quote are common causes).',
  },
  RECORD_TOO_LARGE: {
    kind: 'READER',
    severity: 'ERROR',
    summary: 'A row (or XML item) is larger than the reader accepts, or has too many columns, so it was not read.',
    hint: 'Split or shorten the row; check for a quote that was opened and never closed.',
  },
  XML_TOO_DEEP: {
    kind: 'READER',
    severity: 'ERROR',
    summary: 'An XML item nests elements deeper than the reader accepts, so it was not read.',
    hint: 'Flatten the item: product attributes need two or three levels (<g:shipping><g:country>).',
  },
  NO_ITEMS: {
    kind: 'READER',
    severity: 'WARNING',
    summary: 'The file was read but holds no product rows or items.',
    hint: 'Check that the feed lists its products (rows below the header, or item elements in the XML).',
  },
  DUPLICATE_COLUMN: {
    kind: 'READER',
    severity: 'WARNING',
    summary: 'Two columns name the same attribute; the first fills it, the other is kept as a custom attribute.',
    hint: "Rename or remove one of the columns, or map them explicitly in the feed's column mapping.",
  },
  INVALID_SUB_ATTRIBUTE_HEADER: {
    kind: 'READER',
    severity: 'WARNING',
    summary:
      'A shipping(…) or tax(…) column header names a part the attribute does not have, names one twice, or leaves out one every entry needs; the column is kept as a custom attribute.',
    hint: "Name the parts with Merchant Center's names, each once, country and price (shipping) or rate (tax) among them, e.g. shipping(country:postal_code:price) or tax(country:region:rate:tax_ship).",
  },
  DUPLICATE_ELEMENT: {
    kind: 'READER',
    severity: 'WARNING',
    summary: 'An XML item gives an attribute more than once; the first value is used.',
    hint: 'Give each attribute once per item.',
  },
  XML_UNESCAPED_AMPERSAND: {
    kind: 'READER',
    severity: 'WARNING',
    summary: 'The XML has a raw "&" that starts no entity; it was read as a literal "&".',
    hint: 'Write "&" as "&amp;" in XML (URLs included), or wrap the text in <![CDATA[ … ]]>.',
  },
  ORPHAN_VARIANT: {
    kind: 'READER',
    severity: 'ERROR',
    summary: 'A variant row of a shop export has no product row before it, so it cannot be placed.',
    hint: "Keep each product's variant rows right after its product row, with the same handle or id.",
  },
  INACTIVE_PRODUCT_SKIPPED: {
    kind: 'READER',
    severity: 'WARNING',
    summary: 'The shop export marks the product as not active (draft, hidden, unpublished); it was skipped.',
    hint: 'Set the product to active/published in your store if it should be sold, then export again.',
  },
  VARIABLE_WITHOUT_VARIATIONS: {
    kind: 'READER',
    severity: 'ERROR',
    summary: 'A WooCommerce variable product has no variation rows in the file, so there is nothing to sell.',
    hint: 'Export the product together with its variations, or make it a simple product with a Regular price.',
  },

  // Raised by the images step: an ERROR on the main image rejects the item, on an additional one it is a WARNING.
  IMAGE_UNREACHABLE: {
    kind: 'IMAGE',
    severity: 'ERROR',
    summary: 'The image could not be downloaded (no answer, an HTTP error, a timeout, an unknown host).',
    hint: 'Check that the image URL opens in a browser without logging in, and that the host allows our fetcher.',
    note: 'WARNING for an additional image.',
  },
  IMAGE_BLOCKED_ADDRESS: {
    kind: 'IMAGE',
    severity: 'ERROR',
    summary: 'The image URL points to a private, loopback or metadata address, which the fetcher refuses.',
    hint: 'Image URLs must point to public hosts; private, loopback and metadata addresses are refused unless the server setting SSRF_ALLOW_HOSTS names the host.',
    note: 'WARNING for an additional image.',
  },
  IMAGE_TOO_LARGE: {
    kind: 'IMAGE',
    severity: 'ERROR',
    summary: 'The image file or its pixel count is larger than the images step accepts.',
    hint: 'Use an image under 20 MB and 50 megapixels.',
    note: 'WARNING for an additional image.',
  },
  IMAGE_UNSUPPORTED_FORMAT: {
    kind: 'IMAGE',
    severity: 'ERROR',
    summary: 'The URL does not serve an image in a format we read (JPEG, PNG, WebP, GIF, AVIF, TIFF).',
    hint: 'Use a JPEG, PNG, WebP, GIF, AVIF or TIFF image; the URL must serve the image itself, not a page.',
    note: 'WARNING for an additional image.',
  },
  IMAGE_CORRUPT: {
    kind: 'IMAGE',
    severity: 'ERROR',
    summary: 'The image file is damaged or cut off and cannot be decoded.',
    hint: 'The file is damaged or cut off; upload the image again and check that it opens.',
    note: 'WARNING for an additional image.',
  },
  IMAGE_TOO_SMALL: {
    kind: 'IMAGE',
    severity: 'WARNING',
    summary: 'The image is smaller than 500×500 px (an ERROR below 100×100 px on the main image).',
    hint: 'Use an image of at least 500×500 px (100×100 is the minimum).',
    note: 'ERROR when a side of the main image is below 100 px.',
  },

  // Raised by the readers when the file cannot be read on: the run fails, and the issue is stored too.
  EMPTY_FEED: {
    kind: 'READ_ERROR',
    severity: 'ERROR',
    summary: 'The file is empty, or has no header row and no rows.',
    hint: 'Upload a feed with a header row and at least one product row.',
  },
  NOT_A_FEED: {
    kind: 'READ_ERROR',
    severity: 'ERROR',
    summary: 'The file is not a CSV, TSV or XML feed (e.g. a spreadsheet, a PDF, an image or an HTML page).',
    hint: 'Export the catalog as CSV (UTF-8) or XML and upload that file.',
  },
  FORMAT_MISMATCH: {
    kind: 'READ_ERROR',
    severity: 'ERROR',
    summary: "The feed's declared format contradicts the file (XML declared for a CSV, or the other way round).",
    hint: "Set the feed's format to AUTO (updateFeed), or upload the kind of file the feed expects.",
  },
  TRUNCATED_GZIP: {
    kind: 'READ_ERROR',
    severity: 'ERROR',
    summary: 'The gzip file ends too early: the end of the feed is missing.',
    hint: 'Upload the complete file again (compare its size with the original).',
  },
  GZIP_TOO_LARGE: {
    kind: 'READ_ERROR',
    severity: 'ERROR',
    summary: 'The gzip file inflates to more than the largest feed accepted (UPLOAD_MAX_BYTES, uncompressed).',
    hint: 'Split the feed into smaller files (several feeds), or remove what it repeats; a feed inflates to at most UPLOAD_MAX_BYTES.',
  },
  CORRUPT_GZIP: {
    kind: 'READ_ERROR',
    severity: 'ERROR',
    summary: 'The gzip data is corrupt.',
    hint: 'Compress the feed again with gzip, or upload it uncompressed.',
  },
  UNTERMINATED_QUOTE: {
    kind: 'READ_ERROR',
    severity: 'ERROR',
    summary: 'A quote opened in the CSV is never closed, so the rest of the file cannot be read.',
    hint: 'Close the quote, or write a quote inside a quoted cell as two quotes ("").',
  },
  TOO_MANY_COLUMNS: {
    kind: 'READ_ERROR',
    severity: 'ERROR',
    summary: 'The header row has more columns than a feed may have.',
    hint: 'Keep one column per product attribute, and check that the delimiter is the one the file uses.',
  },
  FEED_RULES_RUN_TOO_SLOW: {
    kind: 'READ_ERROR',
    severity: 'ERROR',
    summary:
      "The feed's rules were stopped at FEED_RULES_ITEM_BUDGET_MS on more than 100 items, so the run was stopped rather than hold a worker for hours.",
    hint: 'Make the rule the message names do less on long values (see FEED_RULES_TOO_SLOW on the items), check it with previewFeedRules, and run the feed again.',
  },
  HEADER_TOO_LARGE: {
    kind: 'READ_ERROR',
    severity: 'ERROR',
    summary: 'The header row is larger than the reader accepts.',
    hint: 'Check that the first line is a header of column names, and that no quote opened there runs on through the file.',
  },
  XML_DOCTYPE_FORBIDDEN: {
    kind: 'READ_ERROR',
    severity: 'ERROR',
    summary: 'The XML declares a DOCTYPE or entities, which feeds are not allowed to do.',
    hint: 'Remove the DOCTYPE (and any ENTITY declarations) from the feed.',
  },
  XML_MALFORMED: {
    kind: 'READ_ERROR',
    severity: 'ERROR',
    summary: 'The XML is not well-formed.',
    hint: 'Fix the XML where the message says (an unclosed or mismatched tag, or a stray "<"); validate it with an XML checker.',
  },
  XML_MARKUP_TOO_LARGE: {
    kind: 'READ_ERROR',
    severity: 'ERROR',
    summary: 'A tag, comment or processing instruction is longer than the reader accepts.',
    hint: 'Check the XML for an unclosed tag, attribute quote or comment.',
  },

  // A Shopify sync that cannot go on (SHOPIFY_ + the Admin API client's code); stored like a read error.
  SHOPIFY_NOT_CONNECTED: {
    kind: 'SYNC_ERROR',
    severity: 'ERROR',
    summary: 'The Shopify feed has no connected store.',
    hint: 'Connect the store again with connectShopifyStore.',
  },
  SHOPIFY_UNAUTHORIZED: {
    kind: 'SYNC_ERROR',
    severity: 'ERROR',
    summary: 'Shopify refused the access token (HTTP 401).',
    hint: 'The store refused the access token: it was revoked or the app uninstalled. Connect the store again with a new token.',
  },
  SHOPIFY_FORBIDDEN: {
    kind: 'SYNC_ERROR',
    severity: 'ERROR',
    summary: 'The access token may not read products (HTTP 403 or ACCESS_DENIED).',
    hint: "The app lacks an access scope: give the store's custom app read_products and read_inventory, then sync again.",
  },
  SHOPIFY_NOT_FOUND: {
    kind: 'SYNC_ERROR',
    severity: 'ERROR',
    summary: 'The store or the API version does not exist (HTTP 404).',
    hint: 'The store or the API version was not found; check the shop domain.',
  },
  SHOPIFY_PAYMENT_REQUIRED: {
    kind: 'SYNC_ERROR',
    severity: 'ERROR',
    summary: 'The store is frozen (HTTP 402).',
    hint: 'The store is frozen (unpaid or closed); sync again once it is active.',
  },
  SHOPIFY_LOCKED: {
    kind: 'SYNC_ERROR',
    severity: 'ERROR',
    summary: 'Shopify has locked the store (HTTP 423).',
    hint: 'Shopify has locked the store; sync again once it is unlocked.',
  },
  SHOPIFY_HTTP_ERROR: {
    kind: 'SYNC_ERROR',
    severity: 'ERROR',
    summary: 'Shopify answered with an unexpected HTTP status.',
    hint: 'Shopify answered with an unexpected error; try again later.',
  },
  SHOPIFY_GRAPHQL_ERROR: {
    kind: 'SYNC_ERROR',
    severity: 'ERROR',
    summary: 'Shopify refused the Admin API query.',
    hint: 'Shopify refused the query; this is a bug on our side if it persists, please report it with the run id.',
  },
  SHOPIFY_MAX_COST_EXCEEDED: {
    kind: 'SYNC_ERROR',
    severity: 'ERROR',
    summary: 'A products page cost more than Shopify allows, even one product at a time.',
    hint: 'A products page cost more than Shopify allows; lower SHOPIFY_PAGE_SIZE.',
  },
  SHOPIFY_UNAVAILABLE: {
    kind: 'SYNC_ERROR',
    severity: 'ERROR',
    summary: 'Shopify did not answer (or kept throttling) after several attempts.',
    hint: 'Shopify did not answer after several attempts; the next scheduled sync will try again.',
  },
  SHOPIFY_BLOCKED_ADDRESS: {
    kind: 'SYNC_ERROR',
    severity: 'ERROR',
    summary: 'The store domain resolves to an address the SSRF guard refuses.',
    hint: 'The store domain points to an address the SSRF guard refuses.',
  },
  SHOPIFY_BAD_RESPONSE: {
    kind: 'SYNC_ERROR',
    severity: 'ERROR',
    summary: 'Shopify answered with something that is not an Admin API response.',
    hint: 'Shopify answered with something that is not the Admin API; try again later.',
  },

  // A run that fails as a whole.
  NO_SOURCE: {
    kind: 'RUN_ERROR',
    severity: 'ERROR',
    summary: 'The run has no file to read (an upload feed run without an upload).',
    hint: 'Upload a file to POST /feeds/:feedId/uploads.',
  },
  SOURCE_MISSING: {
    kind: 'RUN_ERROR',
    severity: 'ERROR',
    summary: "The run's file is no longer in storage.",
    hint: 'Upload the file again.',
  },
  QUOTA_EXCEEDED: {
    kind: 'RUN_ERROR',
    severity: 'ERROR',
    summary: 'Fetching the feed would take the brand past its storage quota; nothing was stored.',
    hint: 'Delete feeds you no longer need, or ask for a larger STORAGE_QUOTA_BYTES.',
  },
  INTERNAL_ERROR: {
    kind: 'RUN_ERROR',
    severity: 'ERROR',
    summary: 'The run failed on our side after every attempt.',
    hint: 'Nothing was published. Try again; if it keeps failing, contact support with the run id.',
  },
  IMAGES_STALLED: {
    kind: 'RUN_ERROR',
    severity: 'ERROR',
    summary: "Some of the run's images were never processed and no image job of the run is left.",
    hint: "Nothing from this run was published. Run the feed again (images already processed are not fetched again); if it happens again, check the workers' logs for storage or database errors.",
  },
  // Fetching a URL feed failed: FETCH_ + the network client's code.
  FETCH_BLOCKED_ADDRESS: {
    kind: 'RUN_ERROR',
    severity: 'ERROR',
    summary: 'The feed URL resolves to a private, loopback or metadata address, which the fetcher refuses.',
    hint: 'The feed URL points to a private, loopback or metadata address; use a public URL.',
  },
  FETCH_TIMEOUT: {
    kind: 'RUN_ERROR',
    severity: 'ERROR',
    summary: 'The feed server did not connect, answer or finish the download in time.',
    hint: 'The feed server was too slow to answer; check that it is up, or try again later.',
  },
  FETCH_CONNECT_FAILED: {
    kind: 'RUN_ERROR',
    severity: 'ERROR',
    summary: 'The connection to the feed server failed (refused, reset, TLS error).',
    hint: 'Could not connect to the feed server; check the host name and that the server is up.',
  },
  FETCH_DNS_FAILED: {
    kind: 'RUN_ERROR',
    severity: 'ERROR',
    summary: 'The feed host name does not resolve.',
    hint: 'The feed host name does not resolve; check the URL for typos.',
  },
  FETCH_HTTP_ERROR: {
    kind: 'RUN_ERROR',
    severity: 'ERROR',
    summary: 'The feed server answered with a non-2xx status, or a body that could not be decoded.',
    hint: 'The feed server answered with an error; check the URL and the basic-auth credentials.',
  },
  FETCH_TOO_LARGE: {
    kind: 'RUN_ERROR',
    severity: 'ERROR',
    summary: 'The feed is larger than the upload limit.',
    hint: 'The feed is larger than the upload limit (UPLOAD_MAX_BYTES); split it or raise the limit.',
  },
  FETCH_TOO_MANY_REDIRECTS: {
    kind: 'RUN_ERROR',
    severity: 'ERROR',
    summary: 'The feed URL redirects more often than the fetcher follows.',
    hint: 'The feed URL redirects too often; use the final URL.',
  },
  FETCH_UNSUPPORTED_SCHEME: {
    kind: 'RUN_ERROR',
    severity: 'ERROR',
    summary: 'The feed URL (or a redirect) is not http or https.',
    hint: 'Feed URLs must use http or https.',
  },
  FETCH_INVALID_URL: {
    kind: 'RUN_ERROR',
    severity: 'ERROR',
    summary: 'The feed URL (or a redirect target) is not a valid URL.',
    hint: 'The feed URL is not valid.',
  },

  // Why a publish left an item out when its main image has no IMAGE code to say it.
  IMAGE_FAILED: {
    kind: 'LEFT_OUT',
    severity: 'ERROR',
    summary: 'The main image failed without a recorded code.',
    hint: "Check the item's image issues in its run, fix the image and run the feed again.",
  },
  IMAGE_NOT_PROCESSED: {
    kind: 'LEFT_OUT',
    severity: 'ERROR',
    summary: 'The main image has not been fetched and processed (yet).',
    hint: 'Publish once the run has finished its images, or run the feed again.',
  },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

/**
 * Each code as a constant of its own literal type, for places the compiler cannot check a string: SQL text
 * interpolates `CODE.IMAGE_FAILED`, so a renamed or removed code fails to compile there too.
 */
export const CODE = Object.freeze(Object.fromEntries(Object.keys(CODES).map((code) => [code, code]))) as {
  readonly [C in Code]: C;
};
type CodesOf<K extends CodeKind> = { [C in Code]: (typeof CODES)[C]['kind'] extends K ? C : never }[Code];

/** Codes the item validator raises. */
export type RuleCode = CodesOf<'RULE'>;
/** Codes the feed readers raise as issues, without stopping. */
export type ReaderIssueCode = CodesOf<'READER'>;
/** Codes of images that could not be used. */
export type ImageIssueCode = CodesOf<'IMAGE'>;
/** Codes that stop reading a file (FeedReadError). */
export type FeedReadErrorCode = CodesOf<'READ_ERROR'>;
/** Codes that stop a store sync. */
export type SyncErrorCode = CodesOf<'SYNC_ERROR'>;
/** Every code an issue of a run can carry (GraphQL `IssueCode`). */
export type IssueCode = CodesOf<'RULE' | 'READER' | 'STAGE' | 'IMAGE' | 'READ_ERROR' | 'SYNC_ERROR'>;
/** Every code a failed run's error can carry (GraphQL `RunErrorCode`). */
export type RunErrorCode = CodesOf<'READ_ERROR' | 'SYNC_ERROR' | 'RUN_ERROR'>;
/** Why a publish left an item out: its main image's code, or a LEFT_OUT code (GraphQL `LeftOutReason`). */
export type LeftOutReason = CodesOf<'IMAGE' | 'LEFT_OUT'>;

const ISSUE_KINDS: readonly CodeKind[] = ['RULE', 'READER', 'STAGE', 'IMAGE', 'READ_ERROR', 'SYNC_ERROR'];
const RUN_ERROR_KINDS: readonly CodeKind[] = ['READ_ERROR', 'SYNC_ERROR', 'RUN_ERROR'];
const LEFT_OUT_KINDS: readonly CodeKind[] = ['IMAGE', 'LEFT_OUT'];
const codesOf = <C extends Code>(kinds: readonly CodeKind[]) =>
  (Object.keys(CODES) as Code[]).filter((code) => kinds.includes(CODES[code].kind)) as C[];

/** Every issue code, in catalogue order (the GraphQL enum IssueCode). */
export const ISSUE_CODE_LIST: readonly IssueCode[] = codesOf<IssueCode>(ISSUE_KINDS);
/** Every run error code, in catalogue order (the GraphQL enum RunErrorCode). */
export const RUN_ERROR_CODE_LIST: readonly RunErrorCode[] = codesOf<RunErrorCode>(RUN_ERROR_KINDS);
/** Every reason a publish leaves an item out, in catalogue order (the GraphQL enum LeftOutReason). */
export const LEFT_OUT_REASON_LIST: readonly LeftOutReason[] = codesOf<LeftOutReason>(LEFT_OUT_KINDS);

/** What a rule found, before the validator adds row, attribute, value and item id. */
export interface RuleFinding {
  code: RuleCode;
  severity: IssueSeverity;
  message: string;
  hint: string;
}

export function finding(code: RuleCode, message: string, hint?: string, severity?: IssueSeverity): RuleFinding {
  const info: CodeInfo = CODES[code];
  return { code, severity: severity ?? info.severity, message, hint: hint ?? info.hint };
}
