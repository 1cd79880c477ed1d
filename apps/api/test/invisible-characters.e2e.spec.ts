import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createFeed, ingest, rawId, registerBrand, startTestApi, type TestApi } from '@brandshelf/testing';
import { createApi } from '../src/create-api.js';

/**
 * Control and bidirectional characters in a feed's free text (issue: a U+202E in a title was stored and shown to
 * creators reversed, and Merchant Center refuses it): the feed's own bytes, through the upload, the reader thread,
 * the feed rules and the validator, to what is stored, and to the warnings the brand reads.
 */
const RLO = '\u202E';
const PDF = '\u202C';
const FAMILY = '👩\u200D👩\u200D👧';

const ISSUES = `query($id: ID!) { ingestionRun(id: $id) { status itemsAccepted
  issues(first: 100) { nodes { code severity attribute row itemId value message hint ruleId } } } }`;

describe('invisible and direction characters in feeds (e2e on a real database)', () => {
  let api: TestApi;
  let key: string;

  beforeAll(async () => {
    api = await startTestApi(createApi);
    key = (await registerBrand(api, 'Bidi')).apiKey;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  const stored = async (feedId: string) => {
    const rows: { offer_id: string; data: Record<string, unknown> }[] = await api.runtime.dataSource.query(
      'SELECT offer_id, data FROM item_revision WHERE feed_id = $1 ORDER BY offer_id',
      [rawId(feedId)],
    );
    return Object.fromEntries(rows.map((r) => [r.offer_id, r.data]));
  };
  const issuesOf = async (runId: string) =>
    (await api.gqlOk(ISSUES, { id: runId }, key)).ingestionRun.issues.nodes as {
      code: string;
      severity: string;
      attribute: string;
      row: number;
      itemId: string;
      value: string;
      message: string;
      hint: string;
      ruleId: string | null;
    }[];

  it('removes them from a CSV upload, keeps emoji sequences and other scripts, and warns naming what and where', async () => {
    const feedId = await createFeed(api, key, { name: 'CSV with overrides' });
    const header = 'id,title,description,link,image_link,availability,price,brand,product_type,custom_label_0,Note';
    const line = (cells: string[]) =>
      cells.map((c) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',');
    const body = Buffer.from(
      [
        header,
        line([
          'B1',
          `Trail shoe ${RLO}derf${PDF}`,
          `<p>Grippy \u2067sole\u2069 and a bell\u0007</p>`,
          'https://shop.example/p/B1',
          'https://img.example/B1.jpg',
          'in stock',
          '59.99 USD',
          `${RLO}Acme`,
          `Shoes > ${RLO}Trail`,
          `sale\u2066`,
          `note\u0001${RLO}`,
        ]),
        line([
          'B2',
          `Family mug ${FAMILY} — كوب العائلة`,
          'עברית\u200F and 日本語',
          'https://shop.example/p/B2',
          'https://img.example/B2.jpg',
          'in stock',
          '19.00 USD',
          'Acme',
          'Kitchen',
          '',
          '',
        ]),
      ].join('\r\n') + '\r\n',
      'utf8',
    );
    // The override travels as its UTF-8 bytes, E2 80 AE, as a spreadsheet or a shop export writes it.
    expect(body.includes(Buffer.from([0xe2, 0x80, 0xae]))).toBe(true);
    const run = await ingest(api, key, feedId, body);
    expect(run).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 2, errors: 0 });

    const items = await stored(feedId);
    expect(items.B1).toMatchObject({
      title: 'Trail shoe derf',
      description: 'Grippy sole and a bell',
      brand: 'Acme',
      productType: 'Shoes > Trail',
      customLabels: ['sale'],
      customAttributes: { Note: 'note' },
    });
    expect(JSON.stringify(items.B1)).not.toMatch(/[\u0000-\u0008\u000E-\u001F\u202A-\u202E\u2066-\u2069]/);
    // Legitimate characters untouched: the ZWJ family emoji, Arabic, Hebrew with its RLM, Japanese.
    expect(items.B2).toMatchObject({
      title: `Family mug ${FAMILY} — كوب العائلة`,
      description: 'עברית\u200F and 日本語',
    });

    const issues = await issuesOf(run.id);
    const bidi = issues.filter((i) => i.code === 'BIDI_CONTROL_CHARACTERS');
    expect(bidi.map((i) => [i.severity, i.attribute, i.row, i.itemId])).toEqual([
      ['WARNING', 'title', 2, 'B1'],
      ['WARNING', 'description', 2, 'B1'],
      ['WARNING', 'brand', 2, 'B1'],
      ['WARNING', 'product_type', 2, 'B1'],
      ['WARNING', 'custom_label_0', 2, 'B1'],
      ['WARNING', 'custom:Note', 2, 'B1'],
    ]);
    expect(bidi[0].message).toBe(
      '2 bidirectional control characters were removed from title: U+202E (right-to-left override), U+202C (pop directional formatting), the first at character 12.',
    );
    expect(bidi[0].value).toBe(`Trail shoe ${RLO}derf${PDF}`);
    expect(bidi[0].hint).toContain('direction controls');
    const invalid = issues.filter((i) => i.code === 'INVALID_CHARACTERS');
    expect(invalid.map((i) => [i.attribute, i.message])).toEqual([
      [
        'description',
        '1 control or invalid character was removed from description: U+0007, the first at character 28.',
      ],
      ['custom:Note', '1 control or invalid character was removed from custom:Note: U+0001, the first at character 5.'],
    ]);
    expect(issues.filter((i) => i.itemId === 'B2').map((i) => i.code)).toEqual(['MISSING_IDENTIFIER']);
  });

  it('removes them from an XML feed, written as bytes or as character references', async () => {
    const feedId = await createFeed(api, key, { name: 'XML with overrides' });
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel>
<item><g:id>X1</g:id><g:title>Lamp ${RLO}pmal</g:title><g:description>Warm &#x202E;light&#x202C;.</g:description>
<g:link>https://shop.example/p/X1</g:link><g:image_link>https://img.example/X1.jpg</g:image_link>
<g:availability>in stock</g:availability><g:price>30.00 USD</g:price><g:brand>Acme</g:brand></item>
</channel></rss>`;
    const run = await ingest(api, key, feedId, Buffer.from(body, 'utf8'));
    expect(run).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 1 });
    expect((await stored(feedId)).X1).toMatchObject({ title: 'Lamp pmal', description: 'Warm light.' });
    const bidi = (await issuesOf(run.id)).filter((i) => i.code === 'BIDI_CONTROL_CHARACTERS');
    expect(bidi.map((i) => [i.attribute, i.message])).toEqual([
      [
        'title',
        '1 bidirectional control character was removed from title: U+202E (right-to-left override), the first at character 6.',
      ],
      [
        'description',
        '2 bidirectional control characters were removed from description: U+202E (right-to-left override), U+202C (pop directional formatting), the first at character 6.',
      ],
    ]);
  });

  it("cleans what a feed rule writes the same way, and names the rule in the warning's hint", async () => {
    const feedId = await createFeed(api, key, { name: 'Rules writing overrides' });
    const rules = [
      {
        ruleId: 'label',
        name: 'Promo label',
        actions: [{ type: 'SET', attribute: 'custom_label_1', value: `promo${RLO}` }],
      },
    ];
    await api.gqlOk(
      `mutation($input: SetFeedRulesInput!) { setFeedRules(input: $input) { userErrors { code message } } }`,
      { input: { feedId, rules } },
      key,
    );
    const body =
      'id,title,description,link,image_link,availability,price,brand\n' +
      'R1,Tent,A tent.,https://shop.example/p/R1,https://img.example/R1.jpg,in stock,99.00 USD,Acme\n';
    const run = await ingest(api, key, feedId, body);
    expect(run).toMatchObject({ status: 'SUCCEEDED', itemsAccepted: 1 });
    expect((await stored(feedId)).R1).toMatchObject({ customLabels: ['', 'promo'] });
    const bidi = (await issuesOf(run.id)).filter((i) => i.code === 'BIDI_CONTROL_CHARACTERS');
    expect(bidi).toHaveLength(1);
    expect(bidi[0]).toMatchObject({ attribute: 'custom_label_1', ruleId: 'label' });
    expect(bidi[0].hint).toContain('Feed rule "Promo label" (label) set this value');
  });
});
