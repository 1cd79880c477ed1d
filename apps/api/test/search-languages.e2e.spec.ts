import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createFeed, ingest, registerBrand, startTestApi, type TestApi, rawId } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * Search beyond English, end to end: feeds in Czech (no stemmer in PostgreSQL), French, Swedish (the real
 * Velofant Prisjakt feed from test/fixtures/feeds) and English are ingested and published through the API, and
 * searched with and without accents. Each product is indexed in its feed's language, so one query is read per
 * language: French plurals, Swedish inflections and English stems all match, and accents never matter.
 */

const HEADER = 'id,title,description,link,image_link,availability,price,brand';
const row = (id: string, title: string, description: string, brand: string, price = '10.00 EUR') =>
  [id, title, description, `https://shop.example/${id}`, `https://img.example/${id}.jpg`, 'in stock', price, brand]
    .map((v) => `"${v.replace(/"/g, '""')}"`)
    .join(',');
const csv = (rows: string[]) => [HEADER, ...rows].join('\n');

const CZECH = [
  row('CZ-1', 'Nabíječka USB-C 20W', 'Rychlá nabíječka pro telefony.', 'Elektro Praha', '399.00 CZK'),
  row('CZ-2', 'Nabíječka do auta', 'Dva porty, 12 V.', 'Elektro Praha', '249.00 CZK'),
  row('CZ-3', 'Kabel USB-C', 'Odolný kabel, délka 1 m.', 'Elektro Praha', '149.00 CZK'),
  row('CZ-4', 'Žluté tričko', 'Bavlněné tričko s krátkým rukávem.', 'Elektro Praha', '299.00 CZK'),
];
const FRENCH = [
  row('FR-1', 'Chaussure de randonnée', 'Imperméable, semelle crantée.', 'Maison Alpine'),
  row('FR-2', 'Chaussures de course légères', 'Pour les sorties rapides.', 'Maison Alpine'),
  row('FR-3', 'Selle pour chevaux', 'Cuir pleine fleur.', 'Maison Alpine'),
  row('FR-4', 'Veste coupe-vent', 'Légère et compacte.', 'Maison Alpine'),
];
const ENGLISH = [
  row('EN-1', 'Trail Running Shoes', 'Grippy soles for wet rock.', 'Acme'),
  row('EN-2', 'Café Table', 'Round oak table for two.', 'Acme'),
  row('EN-3', 'Rain Jacket', 'Packs into its own pocket.', 'Acme'),
];
const SWEDISH = readFileSync(new URL('../../../test/fixtures/feeds/xml/velofant_prisjakt_feed.xml', import.meta.url));

const PUBLISH = `mutation($runId: ID!) { publishRun(input: { runId: $runId }) { publication { created updated } userErrors { code } } }`;
const SEARCH = `query($query: String, $first: Int) {
  products(query: $query, first: $first) { nodes { offerId: id title } matchMode totalCount }
}`;

describe('search in the language of each catalog (e2e)', () => {
  let api: TestApi;
  const feeds: Record<string, { id: string; key: string }> = {};

  const titles = async (query: string) => {
    const data = await api.gqlOk<{ products: { nodes: { title: string }[]; matchMode: string; totalCount: number } }>(
      SEARCH,
      { query, first: 50 },
    );
    return data.products.nodes.map((n) => n.title).sort();
  };
  const search = async (query: string) =>
    (
      await api.gqlOk<{ products: { nodes: { title: string }[]; matchMode: string; totalCount: number } }>(SEARCH, {
        query,
        first: 50,
      })
    ).products;

  const publishFeed = async (name: string, body: string | Buffer) => {
    const { id, key } = feeds[name];
    const run = await ingest(api, key, id, body);
    expect(run.status).toBe('SUCCEEDED');
    const data = await api.gqlOk<{ publishRun: { publication: { created: number; updated: number } } }>(
      PUBLISH,
      { runId: run.id },
      key,
    );
    return data.publishRun.publication;
  };

  beforeAll(async () => {
    api = await startTestApi(createApi);
    for (const [name, brand, language] of [
      ['czech', 'Elektro Praha', 'cs'],
      ['french', 'Maison Alpine', 'fr'],
      ['swedish', 'Velofant', 'sv'],
      ['english', 'Acme', null],
    ] as const) {
      const { apiKey } = await registerBrand(api, brand);
      const id = await createFeed(api, apiKey, { name: brand, ...(language ? { language } : {}) });
      feeds[name] = { id, key: apiKey };
    }
    await publishFeed('czech', csv(CZECH));
    await publishFeed('french', csv(FRENCH));
    await publishFeed('english', csv(ENGLISH));
    // The real feed: 4 of its 9 items have an image_link and are published.
    expect((await publishFeed('swedish', SWEDISH)).created).toBe(4);
  }, 180_000);

  afterAll(async () => {
    await api?.close();
  });

  it("indexes each live product with its feed's language", async () => {
    const rows: { language: string; config: string; n: number }[] = await api.runtime.dataSource.query(
      `SELECT f.language, p.search_config::text AS config, count(*)::int AS n
         FROM catalog_product p JOIN feed f ON f.id = p.feed_id GROUP BY 1, 2 ORDER BY 1`,
    );
    expect(rows).toEqual([
      { language: 'cs', config: 'unaccent_simple', n: 4 },
      { language: 'en', config: 'unaccent_english', n: 3 },
      { language: 'fr', config: 'unaccent_french', n: 4 },
      { language: 'sv', config: 'unaccent_swedish', n: 4 },
    ]);
  });

  it('folds accents in Czech, which PostgreSQL has no stemmer for: typed with or without them', async () => {
    const chargers = ['Nabíječka USB-C 20W', 'Nabíječka do auta'];
    expect(await titles('nabijecka')).toEqual(chargers);
    expect(await titles('Nabíječka')).toEqual(chargers);
    expect(await titles('nabíjecka')).toEqual(chargers);
    expect((await search('nabijecka')).matchMode).toBe('FULL_TEXT');
    expect(await titles('zlute tricko')).toEqual(['Žluté tričko']);
    expect(await titles('bavlnene')).toEqual(['Žluté tričko']);
    // Without a stemmer, another inflection is another word: only typo tolerance finds it.
    const plural = await search('nabíječky');
    expect(plural.matchMode).toBe('FUZZY');
    expect(plural.nodes.map((n) => n.title).sort()).toEqual(chargers);
  });

  it('corrects a typo in an accented word, with accents folded on both sides', async () => {
    const page = await search('nabijecla');
    expect(page.matchMode).toBe('FUZZY');
    expect(page.nodes.map((n) => n.title).sort()).toEqual(['Nabíječka USB-C 20W', 'Nabíječka do auta']);
  });

  it('stems French: plural and singular, accents optional', async () => {
    const shoes = ['Chaussure de randonnée', 'Chaussures de course légères'];
    expect(await titles('chaussures')).toEqual(shoes);
    expect(await titles('chaussure')).toEqual(shoes);
    expect(await titles('randonnee')).toEqual(['Chaussure de randonnée']);
    expect(await titles('randonnées')).toEqual(['Chaussure de randonnée']);
    // "chevaux" is the plural of "cheval" only to the French stemmer.
    expect(await titles('cheval')).toEqual(['Selle pour chevaux']);
    expect(await titles('legere')).toEqual(['Chaussures de course légères', 'Veste coupe-vent']);
  });

  it('keeps websearch syntax per language: an exclusion excludes in every language', async () => {
    expect(await titles('chaussures -randonnee')).toEqual(['Chaussures de course légères']);
    expect(await titles('"chaussures de course"')).toEqual(['Chaussures de course légères']);
    expect(await titles('chaussure or nabijecka')).toEqual([
      'Chaussure de randonnée',
      'Chaussures de course légères',
      'Nabíječka USB-C 20W',
      'Nabíječka do auta',
    ]);
  });

  it('stems Swedish in the real Velofant feed, accents optional', async () => {
    // The text says "pakethållaren" (the carrier) and "pendlare": other forms, typed without accents.
    expect(await titles('pakethallare')).toEqual(['PIZZA FRONT RACK 🍕']);
    expect(await titles('pendlarna')).toEqual(['PIZZA FRONT RACK 🍕']);
    expect(await titles('aluminiumstyren')).toEqual(['KEN - Mid Rise Bar - 72cm']);
    expect(await titles('mastare')).toEqual(['KEN - Mid Rise Bar - 72cm']);
    expect(await titles('mästare')).toEqual(['KEN - Mid Rise Bar - 72cm']);
  });

  it('leaves English as it was: stemming, and accents folded too', async () => {
    expect(await titles('running shoe')).toEqual(['Trail Running Shoes']);
    expect(await titles('runs')).toEqual(['Trail Running Shoes']);
    expect(await titles('cafe')).toEqual(['Café Table']);
    expect(await titles('café tables')).toEqual(['Café Table']);
    expect((await search('jackt')).nodes.map((n) => n.title)).toEqual(['Rain Jacket']);
  });

  it('re-indexes live products in the new language when a feed changes language and publishes again', async () => {
    const { id, key } = feeds.english;
    expect((await search('runs')).matchMode).toBe('FULL_TEXT');
    // Read as English, "chevaux" is not the plural of "cheval".
    await api.gqlOk(
      'mutation($input: UpdateFeedInput!) { updateFeed(input: $input) { feed { id } userErrors { code } } }',
      { input: { feedId: id, language: 'fr' } },
      key,
    );
    expect(await titles('cheval')).toEqual(['Selle pour chevaux']);
    const changed = [...ENGLISH.slice(0, 2), row('EN-3', 'Couvertures pour chevaux', 'Laine.', 'Acme')];
    const publication = await publishFeed('english', csv(changed));
    // The unchanged products are rewritten too: their index follows the feed's language.
    expect(publication.updated).toBe(3);
    expect(await titles('cheval')).toEqual(['Couvertures pour chevaux', 'Selle pour chevaux']);
    // Read as French, "runs" is no longer a form of "running": only typo tolerance still finds it.
    expect((await search('runs')).matchMode).toBe('FUZZY');
    expect(await titles('running')).toEqual(['Trail Running Shoes']);
    const [{ config }] = await api.runtime.dataSource.query(
      `SELECT DISTINCT search_config::text AS config FROM catalog_product WHERE feed_id = $1`,
      [rawId(id)],
    );
    expect(config).toBe('unaccent_french');
  });
});
