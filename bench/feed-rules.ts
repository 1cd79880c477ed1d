/**
 * bench/feed-rules: what 20 representative feed rules cost the CPU side of ingestion. Generated rows are read
 * (CSV reader), then validated, normalized, serialized and hashed (what the read worker thread does per item,
 * see libs/ingestion row-preparer.ts), once without rules and once with the 20 rules applied between reading and
 * validation, in alternating rounds of the same run. Prints items/s for both, their ratio, and apply() alone, per
 * CPU second (process.cpuUsage: what a shared machine's other load cannot inflate) and per wall second.
 * The database side of a run (COPY, diff, version) is left out, so the ratio is the worst case for a whole run.
 *
 *   npm run bench:feed-rules -- --n 20000 --rounds 7        (defaults)
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ItemValidator, compactProductJson, hashCanonicalJson } from '@brandshelf/catalog-rules';
import { compileFeedRules, type CompiledFeedRules } from '@brandshelf/feed-rules';
import { readFeed, type RawItem } from '@brandshelf/feeds';
import { generateFeed } from './feed-generator.js';
import { BENCH_RULES } from './feed-rule-set.js';

/** CPU time of this process (all its threads) and wall time, in ms. */
function clocks(): { cpu: number; wall: number } {
  const usage = process.cpuUsage();
  return { cpu: (usage.user + usage.system) / 1000, wall: performance.now() };
}

interface Timing {
  cpu: number;
  wall: number;
}

function since(start: { cpu: number; wall: number }): Timing {
  const now = clocks();
  return { cpu: now.cpu - start.cpu, wall: now.wall - start.wall };
}

function best(a: Timing, b: Timing): Timing {
  return { cpu: Math.min(a.cpu, b.cpu), wall: Math.min(a.wall, b.wall) };
}

/** Reads the file and prepares every item as the read worker does; `rules` applied between the two when given. */
async function run(
  file: string,
  rules: CompiledFeedRules | null,
): Promise<Timing & { accepted: number; excluded: number }> {
  const validator = new ItemValidator({ mode: 'REPLACE', defaultCurrency: 'USD' });
  let accepted = 0;
  let excluded = 0;
  const start = clocks();
  for await (const event of readFeed(createReadStream(file))) {
    if (event.type !== 'item') continue;
    let item: RawItem = event.item;
    if (rules) {
      const outcome = rules.apply(item.fields);
      if (outcome.excludedBy) {
        excluded++;
        continue;
      }
      if (outcome.item !== item.fields) item = { row: item.row, fields: outcome.item };
    }
    const result = validator.validate(item);
    if (result.product) {
      accepted++;
      hashCanonicalJson(compactProductJson(result.product));
    }
  }
  return { ...since(start), accepted, excluded };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { n: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '7' } },
  });
  const n = Number(values.n);
  const rounds = Number(values.rounds);
  const dir = await mkdtemp(join(tmpdir(), 'bs-bench-rules-'));
  try {
    const file = join(dir, 'feed.csv');
    await generateFeed(file, n);
    // As the ingestion reader applies them: in place (its items are read once and handed on), and keeping which rule
    // changed which attribute without the values (row-preparer.ts).
    const rules = compileFeedRules(BENCH_RULES, { inPlace: true, recordValues: false });
    await run(file, null); // warm-up: JIT, the taxonomy, the reader
    await run(file, rules);
    const none = { cpu: Infinity, wall: Infinity };
    let without: Timing = none;
    let withRules: Timing = none;
    let accepted = { without: 0, with: 0, excluded: 0 };
    // Alternating rounds, best of each: what the machine's other load adds is not the rules' cost.
    for (let round = 0; round < rounds; round++) {
      const a = await run(file, null);
      const b = await run(file, rules);
      without = best(without, a);
      withRules = best(withRules, b);
      accepted = { without: a.accepted, with: b.accepted, excluded: b.excluded };
    }
    // apply() alone, over items read into memory before each round (in place: a round changes its items).
    const readAll = async () => {
      const fields: RawItem['fields'][] = [];
      for await (const event of readFeed(createReadStream(file)))
        if (event.type === 'item') fields.push(event.item.fields);
      return fields;
    };
    const byRule = new Map<string, number>();
    let changes = 0;
    for (const item of await readAll()) {
      for (const change of rules.apply(item).changes) {
        changes++;
        byRule.set(change.ruleId, (byRule.get(change.ruleId) ?? 0) + 1);
      }
    }
    let apply: Timing = none;
    for (let round = 0; round < rounds; round++) {
      const fields = await readAll();
      const start = clocks();
      for (const item of fields) rules.apply(item);
      apply = best(apply, since(start));
    }
    const rate = (ms: number) => Math.round((n / ms) * 1000).toLocaleString('en-US');
    const cost = (a: number, b: number) => `${((b / a - 1) * 100).toFixed(1)}%`;
    console.log(
      `feed rules: ${BENCH_RULES.length} rules, ${n.toLocaleString('en-US')} items, best of ${rounds} alternating rounds, load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log('                                       per CPU second      per wall second');
    console.log(
      `  read + validate + hash, no rules:    ${rate(without.cpu).padStart(10)} items/s   ${rate(without.wall).padStart(10)} items/s   (${accepted.without} accepted)`,
    );
    console.log(
      `  read + rules + validate + hash:      ${rate(withRules.cpu).padStart(10)} items/s   ${rate(withRules.wall).padStart(10)} items/s   (${accepted.with} accepted, ${accepted.excluded} excluded)`,
    );
    console.log(
      `  cost of the rules (budget 20%):      ${cost(without.cpu, withRules.cpu).padStart(10)}           ${cost(without.wall, withRules.wall).padStart(10)}`,
    );
    console.log(
      `  with/without throughput ratio:       ${(without.cpu / withRules.cpu).toFixed(3).padStart(10)}           ${(without.wall / withRules.wall).toFixed(3).padStart(10)}`,
    );
    console.log(
      `  apply() alone:                       ${rate(apply.cpu).padStart(10)} items/s   ${rate(apply.wall).padStart(10)} items/s   (${((apply.cpu * 1e6) / n).toFixed(0)} ns CPU/item)`,
    );
    console.log(
      `  changes per item: ${(changes / n).toFixed(2)}; by rule: ${[...byRule].map(([id, count]) => `${id} ${(count / n).toFixed(2)}`).join(', ')}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
