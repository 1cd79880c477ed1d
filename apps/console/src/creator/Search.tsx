import { useEffect, useId, useState, type FormEvent } from 'react';
import { graphql } from '../gql';
import type { Availability, ProductFilter, ProductSort } from '../gql/graphql';
import { Pager, lastListHref, useUrlPage } from '../paging';
import { Link, navigate } from '../router';
import { useApiKey } from '../session';
import { ErrorMessage, Loading, Select, useQuery } from '../ui';
import { ProductImage } from './ProductImage';

const SearchQuery = graphql(`
  query ConsoleSearch($query: String, $filter: ProductFilter, $sort: ProductSort, $after: String) {
    products(query: $query, filter: $filter, sort: $sort, first: 24, after: $after) {
      totalCount
      totalCountExact
      pageInfo {
        hasNextPage
        endCursor
      }
      facets {
        brand {
          id
          name
          count
        }
        category {
          path
          count
        }
        availability {
          value
          count
        }
        color {
          value
          count
        }
        size {
          value
          count
        }
        price {
          currency
          min
          max
          count
        }
      }
      nodes {
        id
        title
        commissionRate
        availability
        onSale
        price {
          formatted
        }
        salePrice {
          formatted
        }
        brand {
          name
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
      }
    }
  }
`);

const LIST_PARAMS = ['brand', 'color', 'size', 'availability'] as const;

/** The search's state lives in the URL, so a search can be bookmarked, shared and navigated back to. */
function filterFrom(query: URLSearchParams): ProductFilter {
  const price = query.get('price')?.split('..');
  return {
    brandIds: query.getAll('brand').length ? query.getAll('brand') : undefined,
    color: query.getAll('color').length ? query.getAll('color') : undefined,
    size: query.getAll('size').length ? query.getAll('size') : undefined,
    availability: query.getAll('availability').length ? (query.getAll('availability') as Availability[]) : undefined,
    category: query.get('category') ?? undefined,
    price: price
      ? { min: price[0] || undefined, max: price[1] || undefined, currency: query.get('currency') ?? undefined }
      : undefined,
  };
}

/** The search last shown (its path and query, the page included): a product's "← Search" goes back to it. */
export const lastSearchHref = (): string => lastListHref('/creator/search');

export function Search() {
  const apiKey = useApiKey();
  // The page is in the URL (after=), like the query and filters: a reload, Back, or a product's "← Search" keep it.
  const page = useUrlPage();
  const { query, after, update } = page;
  const text = query.get('q') ?? '';
  const sort = (query.get('sort') as ProductSort) || undefined;
  const [draft, setDraft] = useState(text);
  useEffect(() => setDraft(text), [text]);
  const filter = filterFrom(query);
  const results = useQuery(SearchQuery, { query: text || undefined, filter, sort, after }, apiKey);

  const toggle = (name: string, value: string) =>
    update((next) => {
      const values = next.getAll(name);
      next.delete(name);
      for (const v of values.includes(value) ? values.filter((v) => v !== value) : [...values, value])
        next.append(name, v);
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update((next) => (draft.trim() ? next.set('q', draft.trim()) : next.delete('q')));
  };

  const data = results.data?.products;
  const facets = data?.facets;
  const active = (name: string, value: string) => query.getAll(name).includes(value);
  return (
    <>
      <h1>Find products to promote</h1>
      <form role="search" className="search-bar" onSubmit={submit}>
        <label htmlFor="search-input" className="visually-hidden">
          Search products
        </label>
        <input
          id="search-input"
          type="search"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder='trail runner, -leather, "rain jacket"'
          maxLength={200}
        />
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      <div className="search-layout">
        <aside aria-label="Filters" className="facets">
          <Select
            label="Sort by"
            value={sort ?? ''}
            onChange={(e) =>
              update((next) => (e.target.value ? next.set('sort', e.target.value) : next.delete('sort')))
            }
            options={[
              ['', text ? 'Relevance' : 'Newest'],
              ['PRICE_ASC', 'Price: low to high'],
              ['PRICE_DESC', 'Price: high to low'],
              ['NEWEST', 'Newest'],
            ]}
          />
          {facets ? (
            <>
              <FacetGroup
                title="Brand"
                values={facets.brand.map((b) => ({ value: b.id, label: b.name, count: b.count }))}
                isActive={(v) => active('brand', v)}
                onToggle={(v) => toggle('brand', v)}
              />
              <FacetGroup
                title="Availability"
                values={facets.availability.map((a) => ({
                  value: a.value,
                  label: a.value.replace(/_/g, ' ').toLowerCase(),
                  count: a.count,
                }))}
                isActive={(v) => active('availability', v)}
                onToggle={(v) => toggle('availability', v)}
              />
              <FacetGroup
                title="Colour"
                values={facets.color.map((c) => ({ value: c.value, label: c.value, count: c.count }))}
                isActive={(v) => active('color', v)}
                onToggle={(v) => toggle('color', v)}
              />
              <FacetGroup
                title="Size"
                values={facets.size.map((s) => ({ value: s.value, label: s.value, count: s.count }))}
                isActive={(v) => active('size', v)}
                onToggle={(v) => toggle('size', v)}
              />
              <FacetGroup
                title="Category"
                values={facets.category.map((c) => ({ value: c.path, label: c.path, count: c.count }))}
                isActive={(v) => query.get('category') === v}
                onToggle={(v) =>
                  update((next) => (next.get('category') === v ? next.delete('category') : next.set('category', v)))
                }
              />
              <FacetGroup
                title="Price"
                values={facets.price.map((p) => ({
                  value: `${p.min}..${p.max ?? ''}|${p.currency}`,
                  label: `${p.min}–${p.max ?? '…'} ${p.currency}`,
                  count: p.count,
                }))}
                isActive={(v) => `${query.get('price')}|${query.get('currency')}` === v}
                onToggle={(v) =>
                  update((next) => {
                    const [range, currency] = v.split('|');
                    if (next.get('price') === range && next.get('currency') === currency) {
                      next.delete('price');
                      next.delete('currency');
                    } else {
                      next.set('price', range);
                      next.set('currency', currency);
                    }
                  })
                }
              />
            </>
          ) : null}
          {LIST_PARAMS.some((p) => query.has(p)) || query.has('category') || query.has('price') ? (
            <button
              type="button"
              onClick={() => navigate(`/creator/search${text ? `?q=${encodeURIComponent(text)}` : ''}`, true)}
            >
              Clear filters
            </button>
          ) : null}
        </aside>
        <section aria-labelledby="results-title" className="results">
          <h2 id="results-title" className="visually-hidden">
            Results
          </h2>
          <ErrorMessage error={results.error} />
          {data ? (
            <p role="status" className="muted" aria-live="polite">
              {data.totalCountExact ? '' : 'about '}
              {data.totalCount} products{results.loading ? ' (updating…)' : ''}
            </p>
          ) : (
            <Loading what="Searching" />
          )}
          {data && data.nodes.length === 0 ? <p>No product matches. Try fewer words or clear a filter.</p> : null}
          <ul className="product-grid" aria-busy={results.loading}>
            {data?.nodes.map((product, index) => {
              const image = product.images.find((i) => i.role === 'MAIN') ?? product.images[0];
              return (
                <li key={product.id} className="product-card">
                  <Link href={`/creator/products/${encodeURIComponent(product.id)}`} className="card-link">
                    <ProductImage
                      image={image}
                      alt={product.title}
                      sizes="(max-width: 600px) 45vw, 220px"
                      eager={index < 4}
                    />
                    <span className="product-title">{product.title}</span>
                  </Link>
                  <span className="muted small">{product.brand.name}</span>
                  <span className="price">
                    {product.salePrice ? (
                      <>
                        <s>{product.price?.formatted}</s> {product.salePrice.formatted}
                      </>
                    ) : (
                      product.price?.formatted
                    )}
                  </span>
                  {product.commissionRate ? (
                    <span className="commission">{product.commissionRate}% commission</span>
                  ) : null}
                </li>
              );
            })}
          </ul>
          <Pager page={page} pageInfo={data?.pageInfo} />
        </section>
      </div>
    </>
  );
}

function FacetGroup({
  title,
  values,
  isActive,
  onToggle,
}: {
  title: string;
  values: { value: string; label: string; count: number }[];
  isActive(value: string): boolean;
  onToggle(value: string): void;
}) {
  // Ids by position, not by value: values that differ only in letters outside \w (白 and 黒, Grün and Grän) would
  // otherwise share one id, and a label would tick another value's box.
  const prefix = useId();
  if (!values.length) return null;
  return (
    <fieldset className="facet">
      <legend>{title}</legend>
      {values.slice(0, 12).map((v, index) => {
        const id = `${prefix}-${index}`;
        return (
          <div key={v.value} className="field-inline">
            <input id={id} type="checkbox" checked={isActive(v.value)} onChange={() => onToggle(v.value)} />
            <label htmlFor={id}>
              {v.label} <span className="muted">({v.count})</span>
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}
