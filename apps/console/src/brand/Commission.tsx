import { useState, type FormEvent } from 'react';
import { ApiError, payload, request } from '../client';
import { graphql } from '../gql';
import type { CommissionRuleKind, CommissionTargetInput, SetCommissionRateInput } from '../gql/graphql';
import { Pager, useUrlPage } from '../paging';
import { useApiKey } from '../session';
import { ErrorMessage, Field, Loading, Select, formatDate, useAction, useQuery } from '../ui';
import { Preview as PreviewProductSet } from './ProductSets';

const ProgramQuery = graphql(`
  query ConsoleCommissionProgram($after: String) {
    commissionProgram {
      openRatePercent
      rules(first: 50, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          kind
          ratePercent
          product {
            id
            title
          }
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

/**
 * The rule kinds in words (as libs/affiliate/src/precedence.ts describes them; the API has no description field): the
 * Rule column shows these, the code stays in its title.
 */
const RULE_KIND_WORDS: Record<CommissionRuleKind, string> = {
  OPEN_DEFAULT: 'Default open rate',
  OPEN_PRODUCT: 'Open rate for a product',
  OPEN_ITEM_GROUP: 'Open rate for an item group',
  OPEN_CATEGORY: 'Open rate for a category',
  TARGETED_BRAND: "An offer's brand-wide rate",
  TARGETED_PRODUCT: "An offer's rate for a product",
  TARGETED_ITEM_GROUP: "An offer's rate for an item group",
  TARGETED_CATEGORY: "An offer's rate for a category",
};

export function Commission() {
  const apiKey = useApiKey();
  // The rates' page and the affiliate report's are each in the URL (rulesAfter= and after=): a reload or Back keeps
  // both, and each list pages on its own.
  const rulesPage = useUrlPage('rulesAfter');
  const program = useQuery(ProgramQuery, { after: rulesPage.after }, apiKey);
  const page = useUrlPage();
  const report = useQuery(ReportQuery, { after: page.after }, apiKey);
  const [target, setTarget] = useState<'default' | 'productId' | 'itemGroupId' | 'categoryId'>('default');
  /**
   * What the rate covers. A category must be a whole number (else it would be sent as null, which the API reads as
   * no target: the default rate of every product). A product is named by its id in the brand's feed (what the brand
   * knows), found among its live products; an id the API gave out is passed on as it is.
   */
  const targetOf = async (value: string): Promise<CommissionTargetInput | undefined> => {
    if (target === 'default') return undefined;
    if (target === 'categoryId') {
      if (!/^\d+$/.test(value)) {
        throw new ApiError(
          'BAD_USER_INPUT',
          `"${value}" is not a Google category id: write its number (e.g. 187 for Shoes); nothing was changed.`,
          ['target'],
        );
      }
      return { categoryId: Number(value) };
    }
    if (target === 'productId') {
      const { previewProductSet } = await request(
        PreviewProductSet,
        { rules: { condition: { attribute: 'ID', operator: 'IS', values: [value] } } },
        apiKey,
      );
      return { productId: previewProductSet.sample[0]?.id ?? value };
    }
    return { itemGroupId: value };
  };
  const setRate = useAction(async (form: FormData) => {
    const rate = String(form.get('rate') ?? '').trim();
    const input: SetCommissionRateInput = {
      ratePercent: rate || null,
      target: await targetOf(String(form.get('target') ?? '').trim()),
    };
    payload((await request(SetRate, { input }, apiKey)).setCommissionRate);
    program.reload();
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void setRate.run(new FormData(event.currentTarget));
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
                      <td>
                        <span title={rule.kind}>{RULE_KIND_WORDS[rule.kind] ?? rule.kind}</span>
                      </td>
                      <td className="break">
                        {rule.category?.path ??
                          (rule.itemGroupId ? `item group ${rule.itemGroupId}` : null) ??
                          (rule.kind.endsWith('_PRODUCT')
                            ? (rule.product?.title ?? 'a product no longer in the catalog')
                            : 'every product')}
                      </td>
                      <td>{rule.ratePercent}%</td>
                      <td>{formatDate(rule.validFrom)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : rulesPage.after ? (
            <p className="muted">No more rates on this page.</p>
          ) : null}
          <Pager
            page={rulesPage}
            pageInfo={p.rules.pageInfo}
            nextLabel="Next 50 rates"
            firstLabel="Back to the newest rates"
          />
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
              ['productId', 'One product (its id in your feed)'],
              ['itemGroupId', 'An item group (item_group_id in your feed)'],
              ['categoryId', 'A Google category (its number)'],
            ]}
          />
          {target !== 'default' ? (
            <Field
              label="Which"
              name="target"
              required
              inputMode={target === 'categoryId' ? 'numeric' : undefined}
              help={
                target === 'productId'
                  ? 'The id column of your feed, e.g. SKU-123.'
                  : target === 'categoryId'
                    ? 'The Google product taxonomy number, e.g. 187 for Shoes.'
                    : 'The item_group_id column of your feed.'
              }
            />
          ) : null}
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
        <Pager page={page} pageInfo={report.data?.affiliateReport.pageInfo} />
      </section>
    </>
  );
}
