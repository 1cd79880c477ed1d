import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { acquireClient } from '@brandshelf/db';
import type { ItemIssue } from '@brandshelf/catalog-rules';
import type { RowWriter } from './copy-writer.js';
import type { IssueSummaryEntry } from './ingestion-run.entity.js';
import { RunIssueStore } from './run-issue.store.js';
import type { PreparedIssue, RuleChange } from './row-preparer.js';
import { RunRuleTraceStore, traceBatchEntry, traceBatchRow } from './run-rule-trace.store.js';

const SAMPLE_ROWS = 5;
/** Items whose rule traces share one run_rule_trace row (see RunRuleTraceStore). */
export const TRACE_BATCH_ITEMS = 128;

/**
 * Streams a run's issues into run_issue with COPY, up to a cap (a feed where every one of a million
 * rows lacks a brand should not write a million warnings), while counting every issue by code and
 * attribute, so the summary is exact whatever the cap.
 */
export class IssueSink {
  private writer: RowWriter | null = null;
  private client: PoolClient | null = null;
  private readonly summary = new Map<string, IssueSummaryEntry>();
  private traceWriter: RowWriter | null = null;
  private traceClient: PoolClient | null = null;
  errors = 0;
  warnings = 0;
  stored = 0;
  /** Items whose rule trace was stored (capped like issues, at the same INGEST_MAX_STORED_ISSUES). */
  tracesStored = 0;
  /**
   * The traces not yet written: their JSON elements, how many, the first one's row, and their distinct change lists
   * (batchPatterns), found by the reader's pattern number or by the JSON (tracePatterns).
   */
  private traceBatch = '';
  private traceBatchItems = 0;
  private traceBatchRow = 0;
  private tracePatterns = new Map<number | string, number>();
  private batchPatterns: string[] = [];
  /** The JSON of the reader's trace patterns, by number (see addPatternTrace). */
  private readonly patternJson: string[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly runId: string,
    private readonly brandId: string,
    private readonly maxStored: number,
    private readonly pglite = false,
  ) {}

  /**
   * Keeps which rules changed which attributes of the item at `row` (run_rule_trace); a string is that list as JSON.
   * Items come in row order; TRACE_BATCH_ITEMS of them are written as one row (measured: a row per item cost
   * PostgreSQL 10–14 µs an item of a run with 20 rules, as much as the rules themselves). Returns a promise only
   * when it writes a batch: the items between cost no await.
   */
  addTrace(row: number, itemId: string | null, changes: RuleChange[] | string): Promise<void> | undefined {
    const json = typeof changes === 'string' ? changes : JSON.stringify(changes);
    return this.addBatchEntry(row, itemId, json, json);
  }

  /**
   * addTrace for an item of the reader's trace pattern `pattern` (PreparedEvent.ruleTrace); `json` comes with the
   * pattern's first item (ruleTraceJson) and is kept for the others. Pattern -1 is sent with its JSON every time.
   */
  addPatternTrace(row: number, itemId: string | null, pattern: number, json?: string): Promise<void> | undefined {
    if (json !== undefined && pattern >= 0) this.patternJson[pattern] = json;
    const known = json ?? this.patternJson[pattern];
    if (known === undefined) throw new Error(`rule trace pattern ${pattern} arrived before its JSON`);
    return this.addBatchEntry(row, itemId, pattern >= 0 ? pattern : known, known);
  }

  private addBatchEntry(
    row: number,
    itemId: string | null,
    key: number | string,
    json: string,
  ): Promise<void> | undefined {
    if (this.tracesStored >= this.maxStored) return undefined;
    this.tracesStored++;
    let position = this.tracePatterns.get(key);
    if (position === undefined) {
      position = this.batchPatterns.length;
      this.tracePatterns.set(key, position);
      this.batchPatterns.push(json);
    }
    const entry = traceBatchEntry(row, itemId, position);
    if (this.traceBatchItems === 0) {
      this.traceBatchRow = row;
      this.traceBatch = entry;
    } else {
      this.traceBatch += `,${entry}`;
    }
    return ++this.traceBatchItems >= TRACE_BATCH_ITEMS ? this.flushTraces() : undefined;
  }

  private async flushTraces(): Promise<void> {
    if (this.traceBatchItems === 0) return;
    if (!this.traceWriter) {
      this.traceClient = await acquireClient(this.dataSource);
      this.traceWriter = RunRuleTraceStore.openWriter(this.traceClient, this.brandId, this.runId, this.pglite);
    }
    const batch = traceBatchRow(this.traceBatchRow, this.traceBatch, this.traceBatchItems, this.batchPatterns);
    this.traceBatch = '';
    this.traceBatchItems = 0;
    this.tracePatterns.clear();
    this.batchPatterns = [];
    await this.traceWriter.write(batch);
  }

  async add(issue: ItemIssue | PreparedIssue): Promise<void> {
    if (issue.severity === 'ERROR') this.errors++;
    else this.warnings++;
    const key = `${issue.severity}|${issue.code}|${issue.attribute ?? ''}`;
    let entry = this.summary.get(key);
    if (!entry) {
      entry = { code: issue.code, severity: issue.severity, attribute: issue.attribute, count: 0, sampleRows: [] };
      this.summary.set(key, entry);
    }
    entry.count++;
    if (entry.sampleRows.length < SAMPLE_ROWS) entry.sampleRows.push(issue.row);
    if (this.stored >= this.maxStored) return;
    if (!this.writer) {
      this.client = await acquireClient(this.dataSource);
      this.writer = RunIssueStore.openWriter(this.client, this.brandId, this.runId, this.pglite);
    }
    this.stored++;
    await this.writer.write([
      issue.severity,
      issue.code,
      issue.attribute,
      issue.row,
      issue.itemId ?? null,
      issue.value,
      issue.message,
      issue.hint,
      (issue as PreparedIssue).ruleId ?? null,
      (issue as PreparedIssue).ruleName ?? null,
    ]);
  }

  summaryEntries(): IssueSummaryEntry[] {
    return [...this.summary.values()].sort(compareSummaryEntries);
  }

  /** Makes the stored issues visible (the COPY commits when it ends). */
  async close(): Promise<void> {
    await this.closeTraces();
    if (!this.writer) return;
    try {
      await this.writer.end();
      this.client!.release();
    } catch (error) {
      this.client!.release(error as Error);
      throw error;
    } finally {
      this.writer = null;
      this.client = null;
    }
  }

  /** Makes the stored rule traces visible (the COPY commits when it ends). */
  private async closeTraces(): Promise<void> {
    await this.flushTraces();
    if (!this.traceWriter) return;
    try {
      await this.traceWriter.end();
      this.traceClient!.release();
    } catch (error) {
      this.traceClient!.release(error as Error);
      throw error;
    } finally {
      this.traceWriter = null;
      this.traceClient = null;
    }
  }
}

/** The documented order of a run's issueSummary: errors first, then the most frequent, then by code and attribute. */
export function compareSummaryEntries(a: IssueSummaryEntry, b: IssueSummaryEntry): number {
  if (a.severity !== b.severity) return a.severity === 'ERROR' ? -1 : 1;
  if (a.count !== b.count) return b.count - a.count;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  const x = a.attribute ?? '';
  const y = b.attribute ?? '';
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Two summaries as one, in the documented order (entries of the same code, severity and attribute added up). */
export function mergeSummaries(...parts: IssueSummaryEntry[][]): IssueSummaryEntry[] {
  const merged = new Map<string, IssueSummaryEntry>();
  for (const entry of parts.flat()) {
    const key = `${entry.severity}|${entry.code}|${entry.attribute ?? ''}`;
    const seen = merged.get(key);
    if (!seen) {
      merged.set(key, { ...entry, sampleRows: [...entry.sampleRows] });
      continue;
    }
    seen.count += entry.count;
    seen.sampleRows = [...new Set([...seen.sampleRows, ...entry.sampleRows])]
      .sort((x, y) => x - y)
      .slice(0, SAMPLE_ROWS);
  }
  return [...merged.values()].sort(compareSummaryEntries);
}
