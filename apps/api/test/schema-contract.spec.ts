import { describe, expect, it } from '@jest/globals';
import {
  buildSchema,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';
import { generateSchemaSDL } from '../src/graphql/generate-schema.js';

/**
 * Issue 11's contract, checked on the schema the code generates (schema-descriptions.spec.ts checks the
 * descriptions, mutation-payloads.spec.ts the mutations): no list that can grow outside a connection, no `String`
 * code field, no `Float` money.
 */

/** Lists outside connections, each bounded by what it is (a new one must be a connection or say why here). */
const BOUNDED_LISTS: Record<string, string> = {
  'AffiliateReportRow.amounts': 'one per currency of one row',
  'ChannelExport.byCheck': 'one per export check kind',
  'CommissionOffer.rules': 'the rules of one offer, capped when it is created',
  'CommissionQuote.candidates': 'one per precedence level',
  'CreatorEarnings.totals': 'one per status and currency',
  'Feed.columnMapping': "the feed's own column mapping",
  'IngestionRun.columns': "the file's header, at most 10,000 columns",
  'IngestionRun.issueSummary': 'one per issue code',
  'IngestionRun.rowsSkippedByReason': 'one per skip reason',
  'IssueSummary.sampleRows': 'a fixed-size sample',
  'Product.images': 'at most 11 per product',
  'Product.shipping': 'at most MAX_SHIPPING_ENTRIES (20) per product, the rest left out with a warning',
  'Product.tax': 'at most MAX_TAX_ENTRIES (20) per product, the rest left out with a warning',
  'ProductFacets.availability': 'one per availability value',
  'ProductFacets.brand': 'the top facet values',
  'ProductFacets.category': 'the top facet values',
  'ProductFacets.color': 'the top facet values',
  'ProductFacets.price': 'fixed price buckets',
  'ProductFacets.size': 'the top facet values',
  'ProductImage.renditions': 'at most 6 per image',
  'ProductSetCondition.values': 'the values of one condition, capped when the set is saved',
  'ProductSetMembers.sample': 'a fixed-size sample',
  'ProductSetRule.all': 'one rule tree, capped when the set is saved',
  'ProductSetRule.any': 'one rule tree, capped when the set is saved',
  'Publication.leftOutByReason': 'one per reason',
  'Query.nodes': 'at most 100 ids asked for',
  'Campaign.stats': 'one row per day, at most 93 days asked for (STATS_MAX_DAYS)',
  'FeedRule.actions': 'one rule, capped by the engine (FEED_RULE_LIMITS) when it is set',
  'FeedRuleAction.table': 'one map action’s lookup table, capped by FEED_RULE_LIMITS',
  'FeedRuleCondition.all': 'one condition tree, capped by FEED_RULE_LIMITS',
  'FeedRuleCondition.any': 'one condition tree, capped by FEED_RULE_LIMITS',
  'FeedRuleCondition.values': 'the values of one condition, capped by FEED_RULE_LIMITS',
  'FeedRulePreviewItem.changes': 'the changes to one previewed item, at most one per rule and attribute',
  'FeedRulePreviewItem.errorsAfter': 'the errors of one previewed item',
  'FeedRuleProblem.field': 'the path of one rule field',
  'FeedRuleSet.rules': 'one rule set, capped by FEED_RULE_LIMITS, read whole',
  'FeedRuleTrace.changes': 'the changes to one item, at most one per rule and attribute',
  'FeedRulesPreview.problems': 'the problems of the proposed rules, capped by FEED_RULE_LIMITS',
  'FeedRulesPreview.rules': 'one per proposed rule',
  'FeedRulesPreview.sample': 'at most the sample asked for, capped (MAX_PREVIEW_SAMPLE)',
  'IngestionRun.excludedByRule': 'one per rule of the run’s rule set',
  'Product.creatives': 'one per template at most (three)',
  'RunIssue.ruleChanges': 'the rules that changed one item',
  'UserError.field': 'the path of one input field',
};

/** Fields named like a code that are not a catalogue code. */
const STRING_CODES: Record<string, string> = {
  'ShareLink.code': 'the share link’s own 12-character URL code, not a catalogue code',
  'ReportConversionInput.linkCode': 'a share link’s URL code, as ShareLink.code',
  'ShippingOption.postalCode': 'a postal code or range as the feed writes it (94002-94110, 80*), not a catalogue code',
  'TaxRule.postalCode': 'a postal code or range as the feed writes it, as ShippingOption.postalCode',
};

/**
 * Types with an `id: ID!` that are not Nodes (node(id:) refuses their ids), each with why. A new type with an id
 * implements Node, or says here why not.
 */
const NOT_NODES: Record<string, string> = {
  AffiliateReportRow: 'an aggregate computed on each read; its id is a cache key, not a global id',
  ChannelExportIssue: 'a finding computed on each read from the live catalog; its id is a cache key',
  EarningsBalance: 'a sum computed on each read; its id is a cache key, not a global id',
  BrandFacet: "a facet value; its id is the Brand's global id (Brand is the Node)",
  // A payout is a marker on its ledger entries (ledger_entry.payout_id), not a row of its own: there is no table to
  // read one from, so node(id:) could only recompute it.
  AffiliatePayout: 'no table: a payout is the payout_id its ledger entries carry, not a stored row of its own',
};

/**
 * Output fields named `…Id` of type ID that are neither deprecated for an edge nor an edge's id: each says why it
 * stays a bare id. A new foreign-key id is an edge to the object (a page read through a batch loader) instead.
 */
const BARE_IDS: Record<string, string> = {
  'AffiliatePayout.creatorId': "a brand does not read Creator objects (a Creator is the creator's own account)",
  'AffiliateReportRow.creatorId': 'a brand does not read Creator objects; creatorHandle names the creator',
  'Conversion.creatorId': 'a brand does not read Creator objects',
  'SponsoredPlacement.campaignId': 'a public search answer: a Campaign is only its brand’s to read',
  'DeleteChannelExportPayload.deletedChannelExportId': 'the object is deleted: there is nothing for an edge to load',
  'DeleteFeedPayload.deletedFeedId': 'the object is deleted: there is nothing for an edge to load',
  'DeleteProductSetPayload.deletedProductSetId': 'the object is deleted: there is nothing for an edge to load',
};

const MONEY = /amount|price|money|minor|balance|revenue|commission|earning|payout|budget|spend|cost|fee|total/i;

interface Slot {
  path: string;
  name: string;
  type: GraphQLType;
  output: boolean;
}

function slots(schema: GraphQLSchema): Slot[] {
  const out: Slot[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        out.push({ path: `${type.name}.${field.name}`, name: field.name, type: field.type, output: true });
        for (const arg of field.args) {
          out.push({ path: `${type.name}.${field.name}(${arg.name})`, name: arg.name, type: arg.type, output: false });
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        out.push({ path: `${type.name}.${field.name}`, name: field.name, type: field.type, output: false });
      }
    }
  }
  return out;
}

describe('schema contract', () => {
  let schema: GraphQLSchema;
  const load = async () => (schema ??= buildSchema(await generateSchemaSDL()));

  it('has no list that can grow outside a connection', async () => {
    const lists = slots(await load())
      .filter((s) => s.output && isListType(isNonNullType(s.type) ? s.type.ofType : s.type))
      .map((s) => s.path)
      .filter((path) => !/^\w+Connection\./.test(path) && !path.endsWith('.userErrors'));
    expect(lists.filter((path) => !(path in BOUNDED_LISTS))).toEqual([]);
    // The exemptions stay true: each names a list that still exists.
    expect(Object.keys(BOUNDED_LISTS).filter((path) => !lists.includes(path))).toEqual([]);
  });

  it('has no String code field, argument or input field', async () => {
    const codes = slots(await load())
      .filter((s) => /(^c|C)ode$/.test(s.name) && getNamedType(s.type).name === 'String')
      .map((s) => s.path);
    expect(codes.filter((path) => !(path in STRING_CODES))).toEqual([]);
  });

  it('has no Float money (amounts are Money, decimal strings with a currency)', async () => {
    const floats = slots(await load())
      .filter((s) => getNamedType(s.type).name === 'Float' && MONEY.test(s.name))
      .map((s) => s.path);
    expect(floats).toEqual([]);
  });

  it('makes every type with a global id a Node that node(id:) refetches, or says why not', async () => {
    const types = Object.values((await load()).getTypeMap()).filter(isObjectType);
    const withId = types.filter((t) => {
      const id = t.getFields().id;
      return id && isNonNullType(id.type) && getNamedType(id.type).name === 'ID';
    });
    const notNodes = withId.filter((t) => !t.getInterfaces().some((i) => i.name === 'Node')).map((t) => t.name);
    expect(notNodes.filter((name) => !(name in NOT_NODES)).sort()).toEqual([]);
    // The exemptions stay true: each names a type with an id that is still not a Node.
    expect(Object.keys(NOT_NODES).filter((name) => !notNodes.includes(name))).toEqual([]);
  });

  it('answers edges, not bare foreign-key ids, or says why a `…Id` stays', async () => {
    const bare = slots(await load())
      .filter((s) => s.output && !s.path.includes('(') && /.Id$/.test(s.name))
      .filter((s) => getNamedType(s.type).name === 'ID')
      .filter((s) => {
        const [type, field] = s.path.split('.');
        const def = (
          schema.getType(type) as { getFields(): Record<string, { deprecationReason?: string | null }> }
        ).getFields()[field];
        return !def.deprecationReason;
      })
      .map((s) => s.path);
    expect(bare.filter((path) => !(path in BARE_IDS)).sort()).toEqual([]);
    expect(Object.keys(BARE_IDS).filter((path) => !bare.includes(path))).toEqual([]);
    // Each deprecated `…Id` points at the edge that replaces it, and that edge exists.
    for (const type of Object.values(schema.getTypeMap()).filter(isObjectType)) {
      for (const field of Object.values(type.getFields())) {
        const edge = /^Use (\w+) \{ id \}/.exec(field.deprecationReason ?? '')?.[1];
        if (field.name.endsWith('Id') && field.deprecationReason) {
          expect([`${type.name}.${field.name}`, edge && edge in type.getFields()]).toEqual([
            `${type.name}.${field.name}`,
            true,
          ]);
        }
      }
    }
  });
});
