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
});
