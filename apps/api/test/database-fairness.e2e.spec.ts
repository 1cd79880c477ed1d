import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createFeed, ingest, registerBrand, startTestApi, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

const HEADER = 'id,title,description,link,image_link,availability,price,brand,mpn';
// Text full of "G", the type byte of a CopyInResponse: answers carry it at every offset, chunk starts included.
const item = (id: string, price: string) =>
  [id, `Gadget ${id}`, 'G'.repeat(4900), `https://shop.example/${id}`, `https://img.example/${id}.jpg`, 'in stock']
    .concat([price, 'Acme', `M-${id}`])
    .join(',');
const csv = (price: string) =>
  [HEADER, ...Array.from({ length: 40 }, (_, i) => item(`G${i}`, price))].join('\n') + '\n';

const SEARCH = '{ products(query: "gadget", first: 40) { nodes { id } } }';
const PUBLISH =
  'mutation($runId: ID!) { publishRun(input: { runId: $runId }) { publication { updated } userErrors { code } } }';

/**
 * The database serves every connection while others keep it busy: on the embedded one, a search answer
 * split where a "G" of product text began once passed for a COPY, and the socket server then served that
 * search's connection alone, so a brand's mutation got no answer for as long as searches went on.
 */
describe('a brand mutation while public searches run (e2e on a real database)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi(createApi);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it('answers the mutation while the searches go on', async () => {
    const { apiKey: key } = await registerBrand(api, 'Gadgets');
    const feedId = await createFeed(api, key, { name: 'Gadgets' });
    await api.gqlOk(PUBLISH, { runId: (await ingest(api, key, feedId, csv('10.00 USD'))).id }, key);
    const next = await ingest(api, key, feedId, csv('12.00 USD'));
    const first = await api.gqlOk<{ products: { nodes: unknown[] } }>(SEARCH);
    expect(first.products.nodes).toHaveLength(40);

    // Four searchers, each stopping once the mutation is answered or once the searches reach the cap.
    const CAP = 300;
    let searches = 0;
    let answeredAfter: number | null = null;
    const searcher = async () => {
      while (answeredAfter === null && searches < CAP) {
        const res = await api.gql(SEARCH);
        expect(res.errors).toBeUndefined();
        searches++;
      }
    };
    const searchers = Array.from({ length: 4 }, searcher);
    while (searches < 20) await new Promise((r) => setImmediate(r));
    const mutation = api.gql(PUBLISH, { runId: next.id }, key).then((res) => {
      answeredAfter = searches;
      return res;
    });
    await Promise.all(searchers);
    expect((await mutation).data).toEqual({ publishRun: { publication: { updated: 40 }, userErrors: [] } });
    expect(answeredAfter).toBeLessThan(CAP);
  }, 180_000);
});
