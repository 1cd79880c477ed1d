// Runs a catastrophic pattern on a worker thread, as the ingestion read worker would (see feed-rules.spec.ts).
import { parentPort } from 'node:worker_threads';
import { compileFeedRules } from '@brandshelf/feed-rules';

const rules = compileFeedRules([
  {
    id: 'slow',
    name: 'Catastrophic',
    when: { attribute: 'title', operator: 'MATCHES', value: '(a+)+$' },
    actions: [{ type: 'EXCLUDE' }],
  },
]);
const outcome = rules.apply({ title: `${'a'.repeat(5000)}b` });
parentPort?.postMessage({ excluded: outcome.excludedBy !== undefined });
