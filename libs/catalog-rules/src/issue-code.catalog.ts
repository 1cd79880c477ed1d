import type { IssueSeverity } from './issue.js';

export interface IssueCodeInfo {
  /** Severity the code is normally raised with; `note` says when it is raised with the other one. */
  severity: IssueSeverity;
  /** What the code means, for docs and client UIs. */
  summary: string;
  /** The default fix; an issue may carry a more specific one. */
  hint: string;
  note?: string;
}

/**
 * Every code the rules can raise. Codes are stable: clients switch on them, so rename none.
 * An issue's `message` says what was found in that row; its `hint` starts from the one here.
 */
export const ISSUE_CODES = {
  MISSING_REQUIRED: {
    severity: 'ERROR',
    summary: 'A required attribute is missing or empty.',
    hint: 'Fill in the attribute for this item; Merchant Center rejects items without it.',
    note: 'Required in a full (REPLACE) feed: id, title, description, link, image_link, availability, price. In an UPDATE_ONLY feed only id is.',
  },
  MISSING_BRAND: {
    severity: 'WARNING',
    summary: 'The item has no brand.',
    hint: "Add the manufacturer's brand name in a brand column; use your shop name for products you make yourself.",
  },
  MISSING_IDENTIFIER: {
    severity: 'WARNING',
    summary: 'The item has neither a GTIN nor an MPN.',
    hint: 'Add the barcode (GTIN/EAN/UPC) or the manufacturer part number; for custom or handmade goods without one, set identifier_exists to "no".',
  },
  INVALID_IDENTIFIER_EXISTS: {
    severity: 'WARNING',
    summary: 'identifier_exists is not yes/no.',
    hint: 'Write "yes" or "no" in identifier_exists (or leave it empty).',
  },
  VALUE_TOO_LONG: {
    severity: 'ERROR',
    summary: 'A value is longer than Merchant Center allows.',
    hint: 'Shorten the value to the limit given in the message.',
    note: 'ERROR (item rejected) for id, link and image_link; WARNING for text, which is cut at a word boundary, and for optional URLs and identifiers, which are dropped. The message says which.',
  },
  INVALID_CHARACTERS: {
    severity: 'WARNING',
    summary: 'Control or replacement characters were removed from a value.',
    hint: 'Remove invisible control characters from the source data, and export the file as UTF-8 so letters are not replaced by "�".',
  },
  DUPLICATE_ID: {
    severity: 'ERROR',
    summary: 'Another item earlier in the same feed has the same id.',
    hint: 'Give every item its own id. Variants of one product need distinct ids that share an item_group_id.',
  },
  INVALID_URL: {
    severity: 'ERROR',
    summary: 'A URL is not an absolute http(s) address.',
    hint: 'Use a full address starting with https://, e.g. https://shop.example.com/products/red-shirt.',
    note: 'ERROR for link and image_link; WARNING for mobile_link and additional_image_link, whose bad URLs are dropped.',
  },
  PROTOCOL_RELATIVE_URL: {
    severity: 'WARNING',
    summary: 'A URL starting with // was assumed to be https.',
    hint: 'Write the scheme explicitly: https://host/path instead of //host/path.',
  },
  TOO_MANY_ADDITIONAL_IMAGES: {
    severity: 'WARNING',
    summary: 'More than 10 additional images; only the first 10 are kept.',
    hint: 'List at most 10 additional_image_link URLs, best first.',
  },
  INVALID_PRICE: {
    severity: 'ERROR',
    summary: 'A price is unreadable, has too many decimals for its currency, or is not positive.',
    hint: 'Write the amount with a dot as decimal separator and the ISO currency code, e.g. 1234.50 USD.',
    note: 'WARNING (and the sale price is ignored) for a sale_price of 0, which exports often use for "no sale".',
  },
  INVALID_CURRENCY: {
    severity: 'ERROR',
    summary:
      "The currency is not a current ISO 4217 code, or is a symbol with no safe default (kr, ¥, Rs) that the feed's defaultCurrency does not settle.",
    hint: 'Write a three-letter ISO 4217 code after the amount, e.g. 49.00 EUR or 499.00 SEK.',
  },
  MISSING_CURRENCY: {
    severity: 'ERROR',
    summary: 'A price has no currency and the feed has no default currency.',
    hint: "Set the feed's defaultCurrency setting to the shop's currency (shop exports write prices without one), or add the currency code after the amount (6900 SEK).",
  },
  AMBIGUOUS_CURRENCY: {
    severity: 'WARNING',
    summary:
      'A price uses a symbol several currencies share ($, £) and the feed has no defaultCurrency naming one of them; the usual one (USD, GBP) was assumed.',
    hint: "Set the feed's defaultCurrency to the shop's currency, or write the ISO code after the amount (19.99 CAD).",
    note: 'Symbols with no safe default (kr, ¥, Rs) are INVALID_CURRENCY errors instead.',
  },
  CURRENCY_MISMATCH: {
    severity: 'ERROR',
    summary: 'sale_price is in a different currency from price.',
    hint: 'Give price and sale_price in the same currency.',
  },
  SALE_PRICE_ABOVE_PRICE: {
    severity: 'ERROR',
    summary: 'sale_price is higher than price.',
    hint: 'Put the regular price in price and the lower, discounted price in sale_price; remove sale_price when there is no sale.',
  },
  INVALID_AVAILABILITY: {
    severity: 'ERROR',
    summary: 'availability is not one of in_stock, out_of_stock, preorder, backorder.',
    hint: 'Write one of: in_stock, out_of_stock, preorder, backorder.',
  },
  MISSING_AVAILABILITY_DATE: {
    severity: 'WARNING',
    summary: 'A preorder or backorder item has no availability_date.',
    hint: 'Add availability_date with the date the item ships, e.g. 2025-03-01 or 2025-03-01T09:00+01:00.',
  },
  INVALID_DATE: {
    severity: 'WARNING',
    summary: 'A date is not an ISO 8601 date; it is ignored.',
    hint: 'Write the date as YYYY-MM-DD, optionally with a time and offset: 2025-03-01T09:00+01:00.',
  },
  INVALID_CONDITION: {
    severity: 'WARNING',
    summary: 'condition is not new, refurbished or used; it is ignored.',
    hint: 'Write one of: new, refurbished, used.',
  },
  INVALID_GTIN: {
    severity: 'ERROR',
    summary: 'The GTIN contains characters other than digits, or is a placeholder.',
    hint: 'Copy the 8, 12, 13 or 14 digit barcode number from the packaging; leave gtin empty if the product has none.',
  },
  INVALID_GTIN_LENGTH: {
    severity: 'ERROR',
    summary: 'The GTIN is not 8, 12, 13 or 14 digits long.',
    hint: 'Use the full 8, 12, 13 or 14 digit barcode. An 11-digit value is often a UPC whose leading zero a spreadsheet dropped: format the column as text and re-export.',
  },
  INVALID_GTIN_CHECK_DIGIT: {
    severity: 'ERROR',
    summary: "The GTIN's last digit (check digit) does not match the others.",
    hint: 'Re-copy the barcode from the packaging or the supplier; one digit is probably mistyped.',
  },
  RESTRICTED_GTIN: {
    severity: 'ERROR',
    summary:
      'The GTIN is from a restricted range (in-store numbers 02/04/2xx, coupons 98/99) and cannot identify a product for sale.',
    hint: 'Use the GTIN assigned by the manufacturer, not an in-store or coupon number; leave gtin empty if there is none.',
  },
  DUPLICATE_GTIN: {
    severity: 'WARNING',
    summary: 'Another item earlier in the same feed has the same GTIN.',
    hint: 'Each distinct product needs its own GTIN; if you do not have one, leave gtin empty and set identifier_exists=no.',
  },
  MPN_SPREADSHEET_DAMAGED: {
    severity: 'WARNING',
    summary: 'A spreadsheet turned the MPN into scientific notation; its digits are lost, so it is ignored.',
    hint: 'Format the MPN column as text in the spreadsheet, write the real part numbers back in, and re-export.',
  },
  ID_SPREADSHEET_DAMAGED: {
    severity: 'WARNING',
    summary: 'A spreadsheet turned the id (or item_group_id) into scientific notation; its digits are lost.',
    hint: 'Format the id column as text in the spreadsheet, write the real ids (SKUs) back in, and re-export.',
  },
  GTIN_SPREADSHEET_DAMAGED: {
    severity: 'ERROR',
    summary: 'A spreadsheet turned the barcode into scientific notation; its last digits are lost.',
    hint: 'Format the barcode column as text in the spreadsheet, paste the real barcodes back in, and re-export.',
  },
  GTIN_POSSIBLY_ROUNDED: {
    severity: 'WARNING',
    summary: 'The GTIN ends in a long run of zeros, as barcodes do after a spreadsheet rounded them.',
    hint: 'Check the barcode against the packaging; if the column was ever shown as 4.0112E+12, format it as text and re-enter the barcodes.',
  },
  GTIN_SPREADSHEET_APOSTROPHE: {
    severity: 'WARNING',
    summary: "A leading apostrophe (a spreadsheet's text marker) was removed from the GTIN.",
    hint: 'Export the barcode column as text without the leading apostrophe.',
  },
  UNKNOWN_GOOGLE_PRODUCT_CATEGORY: {
    severity: 'WARNING',
    summary: "google_product_category is not in Google's product taxonomy; it is ignored.",
    hint: "Use a numeric id or the full path from Google's product taxonomy, e.g. 212 or Apparel & Accessories > Clothing > Shirts & Tops.",
  },
  MISSING_VARIANT_ATTRIBUTE: {
    severity: 'WARNING',
    summary: 'An item with item_group_id has none of color, size, material, pattern.',
    hint: 'Add the attribute that tells the variants apart (color, size, material or pattern).',
  },
  INVALID_GENDER: {
    severity: 'WARNING',
    summary: 'gender is not male, female or unisex; it is ignored.',
    hint: 'Write one of: male, female, unisex.',
  },
  INVALID_AGE_GROUP: {
    severity: 'WARNING',
    summary: 'age_group is not newborn, infant, toddler, kids or adult; it is ignored.',
    hint: 'Write one of: newborn, infant, toddler, kids, adult.',
  },
  TITLE_ALL_CAPS: {
    severity: 'WARNING',
    summary: 'The title is written in capital letters only.',
    hint: 'Write the title in normal sentence or title case; Merchant Center disapproves excessive capitals.',
  },
  INVALID_QUANTITY: {
    severity: 'WARNING',
    summary: 'quantity is not a whole number of 0 or more.',
    hint: 'Write the stock count as a whole number, e.g. 12; use 0 when sold out.',
    note: 'A negative count is stored as 0; anything else unreadable is ignored.',
  },
} as const satisfies Record<string, IssueCodeInfo>;

export type IssueCode = keyof typeof ISSUE_CODES;

/** What a rule found, before the validator adds row, attribute, value and item id. */
export interface RuleFinding {
  code: IssueCode;
  severity: IssueSeverity;
  message: string;
  hint: string;
}

export function finding(code: IssueCode, message: string, hint?: string, severity?: IssueSeverity): RuleFinding {
  const info: IssueCodeInfo = ISSUE_CODES[code];
  return { code, severity: severity ?? info.severity, message, hint: hint ?? info.hint };
}
