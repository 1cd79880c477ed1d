import { useState, type FormEvent } from 'react';
import { payload, request } from '../client';
import { graphql } from '../gql';
import type { ShareChannel } from '../gql/graphql';
import { Link } from '../router';
import { useApiKey } from '../session';
import { CopyButton, ErrorMessage, Loading, Select, useAction, useQuery } from '../ui';
import { ProductImage } from './ProductImage';
import { ShippingAndTax } from './ShippingAndTax';
import { lastSearchHref } from './Search';

// variants: the API gives at most 100 in all, so a page of 100 is every one (no pager needed).
const ProductQuery = graphql(`
  query ConsoleProduct($id: ID!) {
    product(id: $id) {
      id
      title
      description
      link
      availability
      availabilityDate
      condition
      color
      size
      material
      pattern
      commissionRate
      price {
        formatted
      }
      salePrice {
        formatted
      }
      brand {
        id
        name
      }
      category {
        path
      }
      shipping {
        country
        region
        postalCode
        locationGroupName
        service
        price {
          amount
          formatted
        }
        minHandlingTime
        maxHandlingTime
        minTransitTime
        maxTransitTime
      }
      tax {
        country
        region
        postalCode
        rate
        taxShip
      }
      images {
        role
        url
        width
        height
        placeholder
        dominantColor
        renditions {
          size
          width
          format
          url
        }
      }
      variants(first: 100) {
        totalCount
        nodes {
          id
          title
          color
          size
          availability
          price {
            formatted
          }
        }
      }
    }
  }
`);

const Commission = graphql(`
  query ConsoleCommissionFor($productId: ID!) {
    commissionFor(productId: $productId) {
      ratePercent
      reason
    }
  }
`);

const CreateLink = graphql(`
  mutation ConsoleCreateShareLink($input: CreateShareLinkInput!) {
    createShareLink(input: $input) {
      shareLink {
        id
        code
        url
        channel
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const PlaceInShowcase = graphql(`
  mutation ConsolePlaceShowcaseItem($input: PlaceShowcaseItemInput!) {
    placeShowcaseItem(input: $input) {
      item {
        position
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const CHANNELS: ShareChannel[] = [
  'TIKTOK',
  'INSTAGRAM',
  'YOUTUBE',
  'PINTEREST',
  'FACEBOOK',
  'X',
  'SNAPCHAT',
  'BLOG',
  'EMAIL',
  'OTHER',
];

/** "1 March 2027": the day a preorder or backorder ships, in UTC (a feed's date alone is a UTC day). */
function shipDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export function Product({ id }: { id: string }) {
  const apiKey = useApiKey();
  const product = useQuery(ProductQuery, { id }, apiKey);
  const commission = useQuery(Commission, { productId: id }, apiKey);
  const [link, setLink] = useState<{ url: string; channel: string | null } | null>(null);
  const [placed, setPlaced] = useState<number | null>(null);
  const share = useAction(async (channel: ShareChannel | undefined) => {
    const { createShareLink } = await request(CreateLink, { input: { productId: id, channel } }, apiKey);
    const created = payload(createShareLink).shareLink!;
    setLink({ url: created.url, channel: created.channel ?? null });
  });
  const showcase = useAction(async () => {
    const { placeShowcaseItem } = await request(PlaceInShowcase, { input: { productId: id } }, apiKey);
    setPlaced(payload(placeShowcaseItem).item!.position);
  });

  if (product.error && !product.data) return <ErrorMessage error={product.error} />;
  if (!product.data) return <Loading what="Loading the product" />;
  const p = product.data.product;
  if (!p) return <p>This product is not in the catalog any more.</p>;
  const main = p.images.find((i) => i.role === 'MAIN') ?? p.images[0];
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const channel = String(new FormData(event.currentTarget).get('channel') ?? '');
    void share.run((channel || undefined) as ShareChannel | undefined);
  };
  return (
    <>
      <p>
        <Link href={lastSearchHref()}>← Search</Link>
      </p>
      <div className="product-page">
        <ProductImage image={main} alt={p.title} sizes="(max-width: 700px) 100vw, 420px" eager />
        <div>
          <h1>{p.title}</h1>
          <p className="muted">
            {p.brand.name}
            {p.category ? ` · ${p.category.path}` : ''}
          </p>
          <p className="price big">
            {p.salePrice ? (
              <>
                <s>{p.price?.formatted}</s> {p.salePrice.formatted}
              </>
            ) : (
              p.price?.formatted
            )}
          </p>
          <p>
            {p.availability?.replace(/_/g, ' ').toLowerCase()}
            {p.availabilityDate ? ` · ships ${shipDate(p.availabilityDate)}` : ''}
          </p>
          {p.material || p.pattern ? (
            <p className="muted">
              {[p.material && `Material: ${p.material}`, p.pattern && `Pattern: ${p.pattern}`]
                .filter(Boolean)
                .join(' · ')}
            </p>
          ) : null}
          {commission.data?.commissionFor.ratePercent ? (
            <p className="commission">
              You earn {commission.data.commissionFor.ratePercent}% commission.{' '}
              <span className="muted small">{commission.data.commissionFor.reason}</span>
            </p>
          ) : (
            <p className="muted">
              {commission.data?.commissionFor.reason ?? (p.commissionRate ? `${p.commissionRate}% commission` : '')}
            </p>
          )}
          <section aria-labelledby="share-title" className="card">
            <h2 id="share-title">Share it</h2>
            <form onSubmit={submit} className="inline-form">
              <Select
                label="Where you will post it"
                name="channel"
                options={[
                  ['', 'Anywhere'],
                  ...CHANNELS.map((c) => [c, c.charAt(0) + c.slice(1).toLowerCase()] as const),
                ]}
              />
              <button type="submit" className="primary" disabled={share.pending}>
                Create share link
              </button>
            </form>
            <ErrorMessage error={share.error} />
            {link ? (
              <div className="key-row" role="status">
                <label htmlFor="share-url">Your link</label>
                <input id="share-url" readOnly value={link.url} onFocus={(e) => e.currentTarget.select()} />
                <CopyButton text={link.url} label="Copy link" />
              </div>
            ) : null}
            <button type="button" onClick={() => void showcase.run()} disabled={showcase.pending}>
              Add to my showcase
            </button>
            {placed !== null ? <p role="status">In your showcase at position {placed}.</p> : null}
            <ErrorMessage error={showcase.error} />
          </section>
        </div>
      </div>
      <ShippingAndTax shipping={p.shipping} tax={p.tax} />
      <section aria-labelledby="variants-title">
        <h2 id="variants-title">Variants ({p.variants.totalCount})</h2>
        <div className="table-wrap" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Variant</th>
                <th scope="col">Colour</th>
                <th scope="col">Size</th>
                <th scope="col">Price</th>
                <th scope="col">Availability</th>
              </tr>
            </thead>
            <tbody>
              {p.variants.nodes.map((v) => (
                <tr key={v.id} aria-current={v.id === p.id ? 'true' : undefined}>
                  <td>
                    {v.id === p.id ? (
                      v.title
                    ) : (
                      <Link href={`/creator/products/${encodeURIComponent(v.id)}`}>{v.title}</Link>
                    )}
                  </td>
                  <td>{v.color ?? '—'}</td>
                  <td>{v.size ?? '—'}</td>
                  <td>{v.price?.formatted ?? '—'}</td>
                  <td>{v.availability?.replace(/_/g, ' ').toLowerCase() ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="description-title">
        <h2 id="description-title">Description</h2>
        <p className="description">{p.description}</p>
        {p.link ? (
          <p>
            <a href={p.link} rel="noopener noreferrer" target="_blank">
              The product on {p.brand.name}'s site
            </a>
          </p>
        ) : null}
      </section>
    </>
  );
}
