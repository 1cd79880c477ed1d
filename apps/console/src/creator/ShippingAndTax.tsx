import type { ConsoleProductQuery } from '../gql/graphql';

type Product = NonNullable<ConsoleProductQuery['product']>;
type Shipping = Product['shipping'][number];
type Tax = Product['tax'][number];

// The console speaks English: country names in English too ("Germany", not "DE"), whatever the browser's language.
let regions: Intl.DisplayNames | null | undefined;

/** "United States" for US; the code itself when the browser has no name for it. */
export function countryName(code: string): string {
  if (regions === undefined) {
    try {
      regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
    } catch {
      regions = null;
    }
  }
  try {
    return regions?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** "United States, CA, 94000-94999, West coast": the country by name, then whatever narrows it, as given. */
function place(where: {
  country: string;
  region?: string | null;
  postalCode?: string | null;
  locationGroupName?: string | null;
}): string {
  return [countryName(where.country), where.region, where.postalCode, where.locationGroupName]
    .filter((part): part is string => !!part)
    .join(', ');
}

/** "1–2 days", "1 day" (min = max, or only one of them given); null when neither is. */
export function days(min: number | null | undefined, max: number | null | undefined): string | null {
  const low = min ?? max;
  const high = max ?? min;
  if (low === null || low === undefined || high === null || high === undefined) return null;
  return low === high ? `${low} ${low === 1 ? 'day' : 'days'}` : `${low}–${high} days`;
}

/** "ships in 1–2 days, 3–5 days in transit"; null when the option gives no times. */
export function deliveryTime(option: Shipping): string | null {
  const handling = days(option.minHandlingTime, option.maxHandlingTime);
  const transit = days(option.minTransitTime, option.maxTransitTime);
  const parts = [handling && `ships in ${handling}`, transit && `${transit} in transit`].filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}

/** The Money's amount is a decimal string ("0.00", "0" for JPY): zero is free shipping. */
function cost(price: Shipping['price']): string {
  return Number(price.amount) === 0 ? 'Free' : price.formatted;
}

/**
 * What delivery costs and takes, and the tax, as the brand's feed gives them for the product (Product.shipping and
 * Product.tax). A product whose feed gives neither follows the brand's Merchant Center account settings, which the
 * catalog does not hold: a short note says so instead of a section.
 */
export function ShippingAndTax({ shipping, tax }: { shipping: readonly Shipping[]; tax: readonly Tax[] }) {
  const timed = shipping.some((option) => deliveryTime(option) !== null);
  const unset =
    !shipping.length && !tax.length
      ? 'Shipping and tax are'
      : !shipping.length
        ? 'Shipping is'
        : !tax.length
          ? 'Tax is'
          : null;
  return (
    <>
      {shipping.length ? (
        <section aria-labelledby="shipping-title">
          <h2 id="shipping-title">Shipping</h2>
          <ul className="plain break">
            {shipping.map((option, i) => {
              const time = deliveryTime(option);
              return (
                <li key={i}>
                  <strong>{place(option)}</strong>
                  {option.service ? ` · ${option.service}` : ''} · <strong>{cost(option.price)}</strong>
                  {time ? ` · ${time}` : ''}
                </li>
              );
            })}
          </ul>
          {timed ? <p className="muted small">Times are in business days.</p> : null}
        </section>
      ) : null}
      {tax.length ? (
        <section aria-labelledby="tax-title">
          <h2 id="tax-title">Tax</h2>
          <ul className="plain break">
            {tax.map((rule, i) => (
              <li key={i}>
                <strong>{place(rule)}</strong>: {rule.rate}%{rule.taxShip ? ' · shipping taxed' : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {unset ? (
        <p className="muted small">
          {unset} not in this product's catalog entry: the brand's own store settings apply.
        </p>
      ) : null}
    </>
  );
}
