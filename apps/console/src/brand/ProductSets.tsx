import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, payload, request } from '../client';
import { graphql } from '../gql';
import type { ProductAttribute, ProductSetOperator, ProductSetRuleInput } from '../gql/graphql';
import { useApiKey } from '../session';
import { Pager, useUrlPage } from '../paging';
import { ErrorMessage, Field, Loading, Select, asApiError, useAction, useQuery } from '../ui';

/** A set's name, at most: the API's limit (libs/ads PRODUCT_SET_NAME_MAX). */
export const SET_NAME_MAX = 200;

const SetsQuery = graphql(`
  query ConsoleProductSets($after: String) {
    productSets(first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        updatedAt
        members(sample: 3) {
          count
          sample {
            id
            title
          }
        }
      }
    }
  }
`);

export const Preview = graphql(`
  query ConsolePreviewProductSet($rules: ProductSetRuleInput!) {
    previewProductSet(rules: $rules, sample: 8) {
      count
      sample {
        id
        title
        price {
          formatted
          currency
        }
      }
    }
  }
`);

const Create = graphql(`
  mutation ConsoleCreateProductSet($input: CreateProductSetInput!) {
    createProductSet(input: $input) {
      productSet {
        id
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const Delete = graphql(`
  mutation ConsoleDeleteProductSet($input: DeleteProductSetInput!) {
    deleteProductSet(input: $input) {
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const ATTRIBUTES: ProductAttribute[] = [
  'BRAND',
  'CATEGORY',
  'PRODUCT_TYPE',
  'PRICE',
  'AVAILABILITY',
  'CONDITION',
  'COLOR',
  'SIZE',
  'GENDER',
  'TITLE',
  'ID',
  'ON_SALE',
  'CUSTOM_LABEL_0',
  'CUSTOM_LABEL_1',
  'CUSTOM_LABEL_2',
  'CUSTOM_LABEL_3',
  'CUSTOM_LABEL_4',
];
const OPERATORS: ProductSetOperator[] = [
  'IS',
  'IS_NOT',
  'CONTAINS',
  'STARTS_WITH',
  'IS_ANY_OF',
  'LESS_THAN',
  'GREATER_THAN',
];

interface Condition {
  attribute: ProductAttribute;
  operator: ProductSetOperator;
  values: string;
  currency: string;
}

/** Every live product of the brand, whatever its availability: the sample says which currency the catalog is in. */
const EVERY_LIVE_PRODUCT: ProductSetRuleInput = {
  condition: {
    attribute: 'AVAILABILITY',
    operator: 'IS_ANY_OF',
    values: ['IN_STOCK', 'OUT_OF_STOCK', 'PREORDER', 'BACKORDER'],
  },
};

/** The currency most of the newest live products are priced in ('' with nothing live: the person writes it). */
function useCatalogCurrency(apiKey: string): string {
  const catalog = useQuery(Preview, { rules: EVERY_LIVE_PRODUCT }, apiKey);
  const counts = new Map<string, number>();
  for (const product of catalog.data?.previewProductSet.sample ?? []) {
    if (product.price) counts.set(product.price.currency, (counts.get(product.price.currency) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

function rulesOf(join: 'all' | 'any', conditions: Condition[]): ProductSetRuleInput {
  const leaves = conditions.map((c) => ({
    condition: {
      attribute: c.attribute,
      operator: c.operator,
      values: c.values
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
      currency: c.attribute === 'PRICE' && c.currency.trim() ? c.currency.trim().toUpperCase() : undefined,
    },
  }));
  return leaves.length === 1 ? leaves[0] : { [join]: leaves };
}

export function ProductSets() {
  const apiKey = useApiKey();
  // 50 a page, the page in the URL (after=): a reload or Back keeps it.
  const page = useUrlPage();
  const sets = useQuery(SetsQuery, { after: page.after }, apiKey);
  // Deleting asks first, in the page (as ending a campaign or publishing do): the set whose confirm step is open.
  const [confirming, setConfirming] = useState<string | null>(null);
  const remove = useAction(async (id: string) => {
    payload((await request(Delete, { input: { productSetId: id } }, apiKey)).deleteProductSet);
    setConfirming(null);
    sets.reload();
  });
  return (
    <>
      <h1>Product sets</h1>
      <p className="muted">Saved filters over your live catalog, for campaigns and channel exports.</p>
      <ErrorMessage error={sets.error ?? remove.error} />
      {!sets.data ? (
        <Loading />
      ) : sets.data.productSets.nodes.length === 0 ? (
        // A later page emptied by deletes says so (its Pager leads back to the first page).
        <p>{page.after ? 'No more product sets on this page.' : 'No product set yet.'}</p>
      ) : (
        <ul className="link-list">
          {sets.data.productSets.nodes.map((set) => (
            <li key={set.id} className="card">
              <strong>{set.name}</strong>
              <span>
                {set.members.count} products
                {set.members.sample.length ? `: ${set.members.sample.map((p) => p.title).join(', ')}…` : ''}
              </span>
              <div className="actions">
                {confirming === set.id ? (
                  <>
                    <button
                      type="button"
                      className="primary"
                      // The button clicked is gone: focus goes to the step that replaced it, for keyboard users.
                      autoFocus
                      onClick={() => void remove.run(set.id)}
                      disabled={remove.pending}
                    >
                      Confirm: delete {set.name}
                    </button>
                    <button type="button" onClick={() => setConfirming(null)}>
                      Keep it
                    </button>
                  </>
                ) : (
                  <button type="button" onClick={() => setConfirming(set.id)}>
                    Delete…<span className="visually-hidden"> {set.name}</span>
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <Pager page={page} pageInfo={sets.data?.productSets.pageInfo} />
      <SetBuilder onSaved={sets.reload} />
    </>
  );
}

function SetBuilder({ onSaved }: { onSaved(): void }) {
  const apiKey = useApiKey();
  // A new PRICE condition is in the catalog's currency (a EUR catalog gets EUR, not USD).
  const catalogCurrency = useCatalogCurrency(apiKey);
  const [join, setJoin] = useState<'all' | 'any'>('all');
  const [conditions, setConditions] = useState<Condition[]>([
    { attribute: 'CATEGORY', operator: 'IS', values: '', currency: '' },
  ]);
  // A PRICE condition added before the catalog's currency was known gets it when it arrives.
  useEffect(() => {
    if (!catalogCurrency) return;
    setConditions((current) =>
      current.map((c) => (c.attribute === 'PRICE' && !c.currency ? { ...c, currency: catalogCurrency } : c)),
    );
  }, [catalogCurrency]);
  const [preview, setPreview] = useState<{
    count: number;
    sample: { id: string; title: string; price?: { formatted: string } | null }[];
  } | null>(null);
  const [previewError, setPreviewError] = useState<ApiError | undefined>();
  const rules = rulesOf(join, conditions);
  const key = JSON.stringify(rules);
  const complete = conditions.every((c) => c.values.trim());
  // The live preview: asked again 400 ms after the last change, nothing saved.
  useEffect(() => {
    if (!complete) return;
    const timer = setTimeout(() => {
      request(Preview, { rules }, apiKey).then(
        (data) => {
          setPreview(data.previewProductSet);
          setPreviewError(undefined);
        },
        (error) => setPreviewError(asApiError(error)),
      );
    }, 400);
    return () => clearTimeout(timer);
  }, [key, complete, apiKey]);
  const save = useAction(async (name: string) => {
    payload((await request(Create, { input: { name, rules } }, apiKey)).createProductSet);
    onSaved();
  });
  const change = (index: number, patch: Partial<Condition>) =>
    setConditions(conditions.map((c, i) => (i === index ? { ...c, ...patch } : c)));
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void save.run(String(new FormData(event.currentTarget).get('name')).trim());
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="new-set-title">
      <h2 id="new-set-title">New product set</h2>
      <Field
        label="Name"
        name="name"
        required
        maxLength={SET_NAME_MAX}
        placeholder="Shoes under 100 USD"
        help={`Up to ${SET_NAME_MAX} characters, not the name of another of your sets.`}
      />
      <Select
        label="Products that match"
        value={join}
        onChange={(e) => setJoin(e.target.value as 'all' | 'any')}
        options={[
          ['all', 'all of the conditions'],
          ['any', 'any of the conditions'],
        ]}
      />
      {conditions.map((c, index) => (
        <fieldset key={index} className="condition">
          <legend>Condition {index + 1}</legend>
          <div className="grid-2">
            <Select
              label="Attribute"
              value={c.attribute}
              onChange={(e) => {
                const attribute = e.target.value as ProductAttribute;
                change(index, { attribute, currency: c.currency || (attribute === 'PRICE' ? catalogCurrency : '') });
              }}
              options={ATTRIBUTES.map((a) => [a, a.replace(/_/g, ' ').toLowerCase()] as const)}
            />
            <Select
              label="Operator"
              value={c.operator}
              onChange={(e) => change(index, { operator: e.target.value as ProductSetOperator })}
              options={OPERATORS.map((o) => [o, o.replace(/_/g, ' ').toLowerCase()] as const)}
            />
            <Field
              label="Values (comma-separated)"
              value={c.values}
              onChange={(e) => change(index, { values: e.target.value })}
            />
            {c.attribute === 'PRICE' ? (
              <Field
                label="Currency"
                value={c.currency}
                maxLength={3}
                onChange={(e) => change(index, { currency: e.target.value })}
              />
            ) : null}
          </div>
          {conditions.length > 1 ? (
            <button type="button" onClick={() => setConditions(conditions.filter((_, i) => i !== index))}>
              Remove condition {index + 1}
            </button>
          ) : null}
        </fieldset>
      ))}
      <button
        type="button"
        onClick={() =>
          setConditions([
            ...conditions,
            { attribute: 'PRICE', operator: 'LESS_THAN', values: '', currency: catalogCurrency },
          ])
        }
      >
        Add a condition
      </button>
      <section aria-labelledby="preview-title" aria-live="polite">
        <h3 id="preview-title">Preview</h3>
        <ErrorMessage error={previewError} />
        {!complete ? (
          <p className="muted">Give every condition a value to see which products it selects.</p>
        ) : preview ? (
          <>
            <p>
              <strong>{preview.count}</strong> live products match.
            </p>
            <ul className="plain">
              {preview.sample.map((p) => (
                <li key={p.id}>
                  {p.title} {p.price ? <span className="muted">{p.price.formatted}</span> : null}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <Loading what="Counting" />
        )}
      </section>
      <ErrorMessage error={save.error} />
      <button type="submit" className="primary" disabled={save.pending || !complete}>
        Save product set
      </button>
    </form>
  );
}
