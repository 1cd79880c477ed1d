import type { FormEvent } from 'react';
import { payload, request } from '../client';
import { graphql } from '../gql';
import { Pager, useUrlPage } from '../paging';
import { Link } from '../router';
import { useApiKey } from '../session';
import { ErrorMessage, Field, Loading, formatDate, useAction, useQuery } from '../ui';

const StoresQuery = graphql(`
  query ConsoleShopifyStores($after: String) {
    shopifyStores(first: 50, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        shopDomain
        apiVersion
        lastSyncedAt
        feed {
          id
          name
        }
      }
    }
  }
`);

const Connect = graphql(`
  mutation ConsoleConnectShopify($input: ConnectShopifyStoreInput!) {
    connectShopifyStore(input: $input) {
      shopifyStore {
        id
        feed {
          id
        }
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

export function Shopify() {
  const apiKey = useApiKey();
  const page = useUrlPage();
  const stores = useQuery(StoresQuery, { after: page.after }, apiKey);
  const connect = useAction(async (form: FormData) => {
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const { connectShopifyStore } = await request(
      Connect,
      {
        input: {
          shopDomain: text('shopDomain'),
          accessToken: text('accessToken'),
          webhookSecret: text('webhookSecret'),
          feedName: text('feedName') || undefined,
        },
      },
      apiKey,
    );
    payload(connectShopifyStore);
    stores.reload();
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    void connect.run(new FormData(form)).then(() => form.reset());
  };
  return (
    <>
      <h1>Shopify stores</h1>
      <ErrorMessage error={stores.error} />
      {!stores.data ? (
        <Loading />
      ) : stores.data.shopifyStores.nodes.length === 0 ? (
        <p>{page.after ? 'No more stores on this page.' : 'No store connected yet.'}</p>
      ) : (
        <div className="table-wrap" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Store</th>
                <th scope="col">Feed (sync from its page)</th>
                <th scope="col">Admin API</th>
                <th scope="col">Last synced</th>
              </tr>
            </thead>
            <tbody>
              {stores.data.shopifyStores.nodes.map((store) => (
                <tr key={store.id}>
                  <td>{store.shopDomain}</td>
                  <td>
                    <Link href={`/brand/feeds/${encodeURIComponent(store.feed.id)}`}>{store.feed.name}</Link>
                  </td>
                  <td>{store.apiVersion}</td>
                  <td>{formatDate(store.lastSyncedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pageInfo={stores.data?.shopifyStores.pageInfo} />
      <form className="card" onSubmit={submit} aria-labelledby="connect-title">
        <h2 id="connect-title">Connect a store</h2>
        <p className="muted">
          In your Shopify admin, create a custom app with the <code>read_products</code> and <code>read_inventory</code>{' '}
          scopes, install it, and paste its Admin API access token and its API secret key here. Both are stored
          encrypted and never shown again.
        </p>
        <div className="grid-2">
          <Field label="Shop domain" name="shopDomain" required placeholder="acme.myshopify.com" />
          <Field label="Feed name (optional)" name="feedName" placeholder="Shopify: Acme" />
          <Field
            label="Admin API access token"
            name="accessToken"
            type="password"
            required
            autoComplete="off"
            placeholder="shpat_…"
          />
          <Field
            label="API secret key (signs webhooks)"
            name="webhookSecret"
            type="password"
            required
            autoComplete="off"
          />
        </div>
        <ErrorMessage error={connect.error} />
        <button type="submit" className="primary" disabled={connect.pending}>
          {connect.pending ? 'Checking the token…' : 'Connect store'}
        </button>
      </form>
    </>
  );
}
