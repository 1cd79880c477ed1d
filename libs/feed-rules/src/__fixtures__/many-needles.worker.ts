// CONTAINS with many values, and with long ones, against long values, on a worker thread as the ingestion read worker
// would run it (see feed-rules.spec.ts): the spec's timeout fails it if the search is not linear in the value.
import { parentPort } from 'node:worker_threads';
import { compileFeedRules, linearRegexAvailable, type FeedRuleCondition } from '@brandshelf/feed-rules';

const hit = (when: FeedRuleCondition, description: string) =>
  compileFeedRules([
    { id: 'r', name: 'Blocklist', when, actions: [{ type: 'SET', attribute: 'custom_label_0', value: 'hit' }] },
  ]).apply({ description }).item.custom_label_0 === 'hit';

// The linear engine's flags on, as any rule set with a pattern turns them on in the process.
const linear = linearRegexAvailable();
const many: FeedRuleCondition = {
  attribute: 'description',
  operator: 'CONTAINS',
  values: Array.from({ length: 1000 }, (_, i) => `aaaaaaab${i}`),
};
const long: FeedRuleCondition = {
  attribute: 'description',
  operator: 'CONTAINS',
  values: Array.from({ length: 8 }, (_, i) => `${'a'.repeat(999)}b${i}`),
};
parentPort?.postMessage({
  linear,
  results: [
    hit(many, 'a'.repeat(5000)),
    hit(many, `${'a'.repeat(5000)}AAAAAAAB999`),
    hit(long, 'a'.repeat(100_000)),
    hit(long, `${'a'.repeat(100_000)}B7`),
  ],
});
