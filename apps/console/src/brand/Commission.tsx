import { useState, type FormEvent } from 'react';
import { payload, request } from '../client';
import { graphql } from '../gql';
import type { SetCommissionRateInput } from '../gql/graphql';
import { useApiKey } from '../session';
import { ErrorMessage, Field, Loading, Select, formatDate, useAction, useQuery } from '../ui';

const ProgramQuery = graphql(`
  query ConsoleCommissionProgram {
    commissionProgram {
      openRatePercent
      rules(first: 50) {
        totalCount
        nodes {
          id
          kind
          ratePercent
          productId
          itemGroupId
          validFrom
          category {
            id
            path
          }
        }
      }
    }
  }
`);

const SetRate = graphql(`
  mutation ConsoleSetCommissionRate($input: SetCommissionRateInput!) {
    setCommissionRate(input: $input) {
      program {
        openRatePercent
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const ReportQuery = graphql(`
  query ConsoleAffiliateReport($after: String) {
    affiliateReport(first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        creatorHandle
        title
        clicks
        orders
        amounts {
          revenue {
            formatted
          }
          commission {
            formatted
          }
        }
      }
    }
  }
`);

export function Commission() {
  const apiKey = useApiKey();
  const program = useQuery(ProgramQuery, {}, apiKey);
  const [after, setAfter] = useState<string | null>(null);
  const report = useQuery(ReportQuery, { after }, apiKey);
  const [target, setTarget] = useState<'default' | 'productId' | 'itemGroupId' | 'categoryId'>('default');
  const setRate = useAction(async (input: SetCommissionRateInput) => {
    payload((await request(SetRate, { input }, apiKey)).setCommissionRate);
    program.reload();
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const rate = String(form.get('rate') ?? '').trim();
    const value = String(form.get('target') ?? '').trim();
    void setRate.run({
      ratePercent: rate || null,
      target:
        target === 'default'
          ? undefined
          : target === 'categoryId'
            ? { categoryId: Number(value) }
            : { [target]: value },
    });
  };
  const p = program.data?.commissionProgram;
  return (
    <>
      <h1>Commission program</h1>
      <ErrorMessage error={program.error} />
      {!p ? (
        <Loading />
      ) : (
        <>
          <p>
            Default open rate:{' '}
            <strong>{p.openRatePercent ? `${p.openRatePercent}%` : 'none (no open collaboration)'}</strong>
          </p>
          {p.rules.nodes.length ? (
            <div className="table-wrap" tabIndex={0}>
              <table>
                <caption className="visually-hidden">Rates in force</caption>
                <thead>
                  <tr>
                    <th scope="col">Rule</th>
                    <th scope="col">Applies to</th>
                    <th scope="col">Rate</th>
                    <th scope="col">Since</th>
                  </tr>
                </thead>
                <tbody>
                  {p.rules.nodes.map((rule) => (
                    <tr key={rule.id}>
                      <td>{rule.kind}</td>
                      <td className="break">
                        {rule.category?.path ?? rule.itemGroupId ?? rule.productId ?? 'every product'}
                      </td>
                      <td>{rule.ratePercent}%</td>
                      <td>{formatDate(rule.validFrom)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      )}
      <form className="card" onSubmit={submit} aria-labelledby="rate-title">
        <h2 id="rate-title">Set a rate</h2>
        <div className="grid-2">
          <Select
            label="For"
            value={target}
            onChange={(e) => setTarget(e.target.value as typeof target)}
            options={[
              ['default', 'Every product (the default open rate)'],
              ['productId', 'One product (its id)'],
              ['itemGroupId', 'An item group'],
              ['categoryId', 'A Google category (its id)'],
            ]}
          />
          {target !== 'default' ? <Field label="Which" name="target" required /> : null}
          <Field
            label="Rate (%)"
            name="rate"
            inputMode="decimal"
            placeholder="12.5"
            help="1 to 80, at most two decimals. Empty removes the rate. Applies to clicks from now on."
          />
        </div>
        <ErrorMessage error={setRate.error} />
        <button type="submit" className="primary" disabled={setRate.pending}>
          Save rate
        </button>
      </form>

      <section aria-labelledby="report-title">
        <h2 id="report-title">Affiliate report</h2>
        <ErrorMessage error={report.error} />
        {!report.data ? (
          <Loading />
        ) : report.data.affiliateReport.nodes.length === 0 ? (
          <p className="muted">No click on your products yet.</p>
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Creator</th>
                  <th scope="col">Product</th>
                  <th scope="col">Clicks</th>
                  <th scope="col">Orders</th>
                  <th scope="col">Revenue</th>
                  <th scope="col">Commission</th>
                </tr>
              </thead>
              <tbody>
                {report.data.affiliateReport.nodes.map((row) => (
                  <tr key={row.id}>
                    <td>{row.creatorHandle}</td>
                    <td>{row.title ?? '—'}</td>
                    <td>{row.clicks}</td>
                    <td>{row.orders}</td>
                    <td>{row.amounts.map((a) => a.revenue.formatted).join(', ') || '—'}</td>
                    <td>{row.amounts.map((a) => a.commission.formatted).join(', ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {report.data?.affiliateReport.pageInfo.hasNextPage ? (
          <button type="button" onClick={() => setAfter(report.data!.affiliateReport.pageInfo.endCursor ?? null)}>
            Next page
          </button>
        ) : null}
      </section>
    </>
  );
}
