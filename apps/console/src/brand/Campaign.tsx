import { useState, type FormEvent } from 'react';
import { graphql } from '../gql';
import { lastListHref } from '../paging';
import { Link } from '../router';
import { useApiKey } from '../session';
import { ErrorMessage, Field, Loading, formatDate, useQuery } from '../ui';
import { CampaignActions, formatMoney, sumAmounts, utcDay } from './Campaigns';
import { Creatives } from './Creatives';

const CampaignQuery = graphql(`
  query ConsoleCampaign($id: ID!, $from: String!, $to: String!) {
    campaign(id: $id) {
      id
      status
      running
      productSetId
      startsAt
      endsAt
      createdAt
      updatedAt
      dailyBudget {
        formatted
        currency
      }
      maxCpc {
        formatted
      }
      stats(from: $from, to: $to) {
        day
        impressions
        clicks
        ctr
        spend {
          amount
          formatted
        }
        cpc {
          formatted
        }
        attributedOrders
        attributedRevenue {
          amount
          currency
          formatted
        }
        roas
      }
    }
  }
`);

const CampaignSetQuery = graphql(`
  query ConsoleCampaignSet($id: ID!) {
    productSet(id: $id) {
      id
      name
      members(sample: 12) {
        count
        sample {
          id
          title
        }
      }
    }
  }
`);

const percent = (value: number | null | undefined) => (value == null ? '—' : `${(value * 100).toFixed(1)}%`);

export function Campaign({ id }: { id: string }) {
  const apiKey = useApiKey();
  const [range, setRange] = useState({ from: utcDay(-13), to: utcDay() });
  const campaign = useQuery(CampaignQuery, { id, ...range }, apiKey);
  const productSetId = campaign.data?.campaign.productSetId ?? '';
  const set = useQuery(CampaignSetQuery, { id: productSetId }, apiKey, { skip: !productSetId });
  const [product, setProduct] = useState<{ id: string; title: string } | null>(null);

  const changeRange = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setRange({ from: String(form.get('from')), to: String(form.get('to')) });
  };

  if (campaign.error && !campaign.data) {
    return (
      <>
        <p>
          <Link href={lastListHref('/brand/campaigns')}>← Campaigns</Link>
        </p>
        <ErrorMessage error={campaign.error} />
      </>
    );
  }
  if (!campaign.data) return <Loading what="Loading the campaign" />;
  const c = campaign.data.campaign;
  const name = set.data?.productSet.name ?? 'Campaign';
  const currency = c.dailyBudget.currency;
  const total = (pick: (row: (typeof c.stats)[number]) => number) => c.stats.reduce((sum, row) => sum + pick(row), 0);
  return (
    <>
      <p>
        <Link href={lastListHref('/brand/campaigns')}>← Campaigns</Link>
      </p>
      <h1>Campaign: {name}</h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <span className={`badge ${c.status}`}>{c.status}</span> {c.running ? '(running now)' : '(not running now)'}
        </dd>
        <dt>Daily budget</dt>
        <dd>{c.dailyBudget.formatted}</dd>
        <dt>Max CPC</dt>
        <dd>{c.maxCpc.formatted}</dd>
        <dt>Dates</dt>
        <dd>
          {formatDate(c.startsAt)} → {c.endsAt ? formatDate(c.endsAt) : 'no end'}
        </dd>
        <dt>Product set</dt>
        <dd>{set.data ? `${set.data.productSet.name} (${set.data.productSet.members.count} live products)` : '…'}</dd>
      </dl>
      <CampaignActions id={c.id} status={c.status} label={name} onChanged={campaign.reload} />

      <section aria-labelledby="stats-title">
        <h2 id="stats-title">Stats by day</h2>
        <form className="inline-form" onSubmit={changeRange} aria-label="Date range">
          <Field label="From (UTC day)" name="from" type="date" defaultValue={range.from} required />
          <Field
            label="To (UTC day)"
            name="to"
            type="date"
            defaultValue={range.to}
            required
            help="Inclusive; at most 93 days in all."
          />
          <div className="field">
            <button type="submit">Show</button>
          </div>
        </form>
        <ErrorMessage error={campaign.error} />
        <div className="table-wrap" tabIndex={0}>
          <table className="stats">
            <caption className="visually-hidden">
              Results per UTC day from {range.from} to {range.to}
            </caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Impressions</th>
                <th scope="col">Clicks</th>
                <th scope="col">CTR</th>
                <th scope="col">Spend</th>
                <th scope="col">CPC</th>
                <th scope="col">Orders</th>
                <th scope="col">Revenue</th>
                <th scope="col">ROAS</th>
              </tr>
            </thead>
            <tbody>
              {c.stats.map((row) => (
                <tr key={row.day}>
                  <th scope="row">{row.day}</th>
                  <td>{row.impressions}</td>
                  <td>{row.clicks}</td>
                  <td>{percent(row.ctr)}</td>
                  <td>{row.spend.formatted}</td>
                  <td>{row.cpc?.formatted ?? '—'}</td>
                  <td>{row.attributedOrders}</td>
                  <td>{row.attributedRevenue.formatted}</td>
                  <td>{row.roas == null ? '—' : row.roas.toFixed(2)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total</th>
                <td>{total((r) => r.impressions)}</td>
                <td>{total((r) => r.clicks)}</td>
                <td>
                  {total((r) => r.impressions) ? percent(total((r) => r.clicks) / total((r) => r.impressions)) : '—'}
                </td>
                <td>{formatMoney(sumAmounts(c.stats.map((r) => r.spend.amount)), currency)}</td>
                <td />
                <td>{total((r) => r.attributedOrders)}</td>
                <td>
                  {formatMoney(
                    sumAmounts(c.stats.map((r) => r.attributedRevenue.amount)),
                    c.stats[0]?.attributedRevenue.currency ?? currency,
                  )}
                </td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      </section>

      <section aria-labelledby="products-title">
        <h2 id="products-title">Products and ad creatives</h2>
        <ErrorMessage error={set.error} />
        {!set.data ? (
          <Loading what="Loading the products" />
        ) : set.data.productSet.members.sample.length === 0 ? (
          <p className="muted">The set selects no live product now.</p>
        ) : (
          <>
            <p className="muted">
              {set.data.productSet.members.count} live products; the first {set.data.productSet.members.sample.length}:
            </p>
            <ul className="plain">
              {set.data.productSet.members.sample.map((p) => (
                <li key={p.id}>
                  {p.title}{' '}
                  <button
                    type="button"
                    className="link"
                    onClick={() => setProduct(p)}
                    aria-pressed={product?.id === p.id}
                  >
                    Creatives<span className="visually-hidden"> of {p.title}</span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
        {product ? <Creatives key={product.id} productId={product.id} title={product.title} /> : null}
      </section>
    </>
  );
}
