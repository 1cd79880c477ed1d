import { payload, request } from '../client';
import { graphql } from '../gql';
import { Pager, useUrlPage } from '../paging';
import { Link } from '../router';
import { useApiKey } from '../session';
import { CopyButton, ErrorMessage, Loading, formatDate, useAction, useQuery } from '../ui';

const LinksQuery = graphql(`
  query ConsoleShareLinks($after: String) {
    shareLinks(first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        code
        url
        channel
        createdAt
        product {
          id
          title
        }
      }
    }
  }
`);

const ShowcaseQuery = graphql(`
  query ConsoleShowcase($after: String) {
    showcase(first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        position
        productId
        product {
          id
          title
          commissionRate
          price {
            formatted
          }
        }
      }
    }
  }
`);

const Remove = graphql(`
  mutation ConsoleRemoveShowcaseItem($input: RemoveShowcaseItemInput!) {
    removeShowcaseItem(input: $input) {
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const Move = graphql(`
  mutation ConsoleMoveShowcaseItem($input: PlaceShowcaseItemInput!) {
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

const EarningsQuery = graphql(`
  query ConsoleEarnings($brandsAfter: String, $entriesAfter: String) {
    earnings {
      totals {
        id
        currency
        pending {
          formatted
        }
        approved {
          formatted
        }
        paid {
          formatted
        }
        reversed {
          formatted
        }
      }
      byBrand(first: 20, after: $brandsAfter) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          brandName
          currency
          pending {
            formatted
          }
          approved {
            formatted
          }
          paid {
            formatted
          }
        }
      }
      entries(first: 50, after: $entriesAfter) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          kind
          createdAt
          brandName
          orderId
          ratePercent
          toStatus
          amount {
            formatted
          }
        }
      }
    }
  }
`);

export function ShareLinks() {
  const apiKey = useApiKey();
  const page = useUrlPage();
  const links = useQuery(LinksQuery, { after: page.after }, apiKey);
  return (
    <>
      <h1>Share links</h1>
      <ErrorMessage error={links.error} />
      {!links.data ? (
        <Loading />
      ) : links.data.shareLinks.nodes.length === 0 ? (
        page.after ? (
          <p className="muted">No more links on this page.</p>
        ) : (
          <p>
            No link yet. <Link href="/creator/search">Find a product</Link> and create one from its page.
          </p>
        )
      ) : (
        <ul className="link-list">
          {links.data.shareLinks.nodes.map((link) => (
            <li key={link.id} className="card">
              <strong>{link.product?.title ?? 'A product no longer in the catalog'}</strong>
              <span className="muted small">
                {link.channel ?? 'any channel'} · {formatDate(link.createdAt)}
              </span>
              <div className="key-row">
                <label htmlFor={`link-${link.id}`} className="visually-hidden">
                  Share link for {link.product?.title ?? link.code}
                </label>
                <input id={`link-${link.id}`} readOnly value={link.url} />
                <CopyButton text={link.url} label="Copy link" />
              </div>
            </li>
          ))}
        </ul>
      )}
      <Pager page={page} pageInfo={links.data?.shareLinks.pageInfo} />
    </>
  );
}

export function Showcase() {
  const apiKey = useApiKey();
  const page = useUrlPage();
  const items = useQuery(ShowcaseQuery, { after: page.after }, apiKey);
  const remove = useAction(async (productId: string) => {
    payload((await request(Remove, { input: { productId } }, apiKey)).removeShowcaseItem);
    items.reload();
  });
  const move = useAction(async (productId: string, position: number) => {
    payload((await request(Move, { input: { productId, position } }, apiKey)).placeShowcaseItem);
    items.reload();
  });
  const nodes = items.data?.showcase.nodes ?? [];
  // The ends are the whole showcase's (its first item on the first page, its last on the last), not this page's.
  const lastPage = !items.data?.showcase.pageInfo.hasNextPage;
  return (
    <>
      <h1>Showcase</h1>
      <p className="muted">The products you put forward, in your order.</p>
      <ErrorMessage error={items.error ?? remove.error ?? move.error} />
      {!items.data ? (
        <Loading />
      ) : nodes.length === 0 ? (
        page.after ? (
          <p className="muted">No more products on this page.</p>
        ) : (
          <p>
            Empty. Add products from their page in <Link href="/creator/search">search</Link>.
          </p>
        )
      ) : (
        <ol className="showcase">
          {nodes.map((item, index) => (
            <li key={item.id} className="card">
              {item.product ? (
                <Link href={`/creator/products/${encodeURIComponent(item.product.id)}`}>{item.product.title}</Link>
              ) : (
                'A product no longer in the catalog'
              )}
              <span className="muted small">
                {item.product?.price?.formatted}
                {item.product?.commissionRate ? ` · ${item.product.commissionRate}%` : ''}
              </span>
              <div className="actions">
                <button
                  type="button"
                  disabled={(index === 0 && !page.after) || move.pending}
                  onClick={() => void move.run(item.productId, item.position - 1)}
                >
                  Move up<span className="visually-hidden"> {item.product?.title}</span>
                </button>
                <button
                  type="button"
                  disabled={(index === nodes.length - 1 && lastPage) || move.pending}
                  onClick={() => void move.run(item.productId, item.position + 1)}
                >
                  Move down<span className="visually-hidden"> {item.product?.title}</span>
                </button>
                <button type="button" disabled={remove.pending} onClick={() => void remove.run(item.productId)}>
                  Remove<span className="visually-hidden"> {item.product?.title}</span>
                </button>
              </div>
            </li>
          ))}
        </ol>
      )}
      <Pager page={page} pageInfo={items.data?.showcase.pageInfo} />
    </>
  );
}

export function Earnings() {
  const apiKey = useApiKey();
  // The brands' page and the ledger's are each in the URL (brandsAfter= and entriesAfter=): a reload or Back keeps
  // both, and each list pages on its own.
  const brandsPage = useUrlPage('brandsAfter');
  const entriesPage = useUrlPage('entriesAfter');
  const earnings = useQuery(EarningsQuery, { brandsAfter: brandsPage.after, entriesAfter: entriesPage.after }, apiKey);
  const e = earnings.data?.earnings;
  return (
    <>
      <h1>Earnings</h1>
      <ErrorMessage error={earnings.error} />
      {!e ? (
        <Loading />
      ) : (
        <>
          {e.totals.length === 0 ? <p>No commission yet: it appears here when a share link brings an order.</p> : null}
          <div className="totals">
            {e.totals.map((t) => (
              <dl key={t.id} className="card facts">
                <dt>Currency</dt>
                <dd>{t.currency}</dd>
                <dt>Pending</dt>
                <dd>{t.pending.formatted}</dd>
                <dt>Approved</dt>
                <dd>{t.approved.formatted}</dd>
                <dt>Paid</dt>
                <dd>{t.paid.formatted}</dd>
                <dt>Reversed</dt>
                <dd>{t.reversed.formatted}</dd>
              </dl>
            ))}
          </div>
          {e.byBrand.nodes.length || brandsPage.after ? (
            <section aria-labelledby="by-brand-title">
              <h2 id="by-brand-title">By brand</h2>
              <div className="table-wrap" tabIndex={0}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Brand</th>
                      <th scope="col">Pending</th>
                      <th scope="col">Approved</th>
                      <th scope="col">Paid</th>
                    </tr>
                  </thead>
                  <tbody>
                    {e.byBrand.nodes.map((b) => (
                      <tr key={b.id}>
                        <td>{b.brandName}</td>
                        <td>{b.pending.formatted}</td>
                        <td>{b.approved.formatted}</td>
                        <td>{b.paid.formatted}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager
                page={brandsPage}
                pageInfo={e.byBrand.pageInfo}
                nextLabel="Next 20 brands"
                firstLabel="First brands"
              />
            </section>
          ) : null}
          {e.entries.nodes.length || entriesPage.after ? (
            <section aria-labelledby="ledger-title">
              <h2 id="ledger-title">Ledger</h2>
              <div className="table-wrap" tabIndex={0}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Brand</th>
                      <th scope="col">Order</th>
                      <th scope="col">Entry</th>
                      <th scope="col">Amount</th>
                    </tr>
                  </thead>
                  <tbody>
                    {e.entries.nodes.map((entry) => (
                      <tr key={entry.id}>
                        <td>{formatDate(entry.createdAt)}</td>
                        <td>{entry.brandName}</td>
                        <td>{entry.orderId}</td>
                        <td>
                          {entry.kind.toLowerCase()} → {entry.toStatus.toLowerCase()} ({entry.ratePercent}%)
                        </td>
                        <td>{entry.amount.formatted}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager
                page={entriesPage}
                pageInfo={e.entries.pageInfo}
                nextLabel="Older entries"
                firstLabel="Newest entries"
              />
            </section>
          ) : null}
        </>
      )}
    </>
  );
}
