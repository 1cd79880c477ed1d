/** A finished run as both modes see it (the GraphQL IngestionRun's fields, or the entity's). */
export interface RunReport {
  id: string;
  status: string;
  phase: string;
  validateOnly: boolean;
  detectedFormat: string | null;
  dialect: string | null;
  encoding: string | null;
  rowsRead: number;
  /** Rows that are no item of their own (rowsRead = itemsAccepted + itemsRejected + rowsSkipped), by reason. */
  rowsSkipped: number;
  rowsSkippedByReason: { reason: string; count: number }[];
  itemsAccepted: number;
  itemsRejected: number;
  warnings: number;
  bytesRead: number;
  bytesTotal: number | null;
  imagesTotal: number;
  imagesDone: number;
  imagesFailed: number;
  imagesSkipped: number;
  publishStatus: string;
  publishBlockedReason: string | null;
  diff: { created: number; updated: number; unchanged: number; removed: number } | null;
  error: { code: string; message: string; hint: string } | null;
  issueSummary: { code: string; severity: string; attribute: string | null; count: number; sampleRows: number[] }[];
}

/** The GraphQL selection that fills a RunReport. */
export const RUN_REPORT_FIELDS = `id status phase validateOnly detectedFormat dialect encoding rowsRead rowsSkipped
  rowsSkippedByReason { reason count } itemsAccepted itemsRejected warnings bytesRead bytesTotal imagesTotal imagesDone imagesFailed imagesSkipped publishStatus
  publishBlockedReason diff { created updated unchanged removed } error { code message hint }
  issueSummary { code severity attribute count sampleRows }`;

/** A RunReport as the API sends it: byte counts are BigInt scalars, decimal strings. */
export type WireRunReport = Omit<RunReport, 'bytesRead' | 'bytesTotal'> & {
  bytesRead: string | number;
  bytesTotal: string | number | null;
};

/** Byte counts back to numbers (exact below 2^53, which no feed file reaches). */
export function fromWire(run: WireRunReport): RunReport {
  return {
    ...run,
    bytesRead: Number(run.bytesRead),
    bytesTotal: run.bytesTotal === null ? null : Number(run.bytesTotal),
  };
}

/** Exit codes scripts can rely on. */
export const EXIT = { SUCCEEDED: 0, FAILED: 1, USAGE: 2 } as const;

export const exitCodeOf = (run: RunReport): number => (run.status === 'SUCCEEDED' ? EXIT.SUCCEEDED : EXIT.FAILED);

export function summaryLines(run: RunReport, seconds: number): string[] {
  const lines = [
    `Run ${run.id}: ${run.status}${run.validateOnly ? ' (validate only)' : ''} in ${seconds.toFixed(1)} s`,
    `  format ${run.detectedFormat ?? '?'} ${run.dialect ?? ''} ${run.encoding ?? ''}`.trimEnd(),
    `  rows ${run.rowsRead}  accepted ${run.itemsAccepted}  rejected ${run.itemsRejected}` +
      (run.rowsSkipped ? `  skipped ${run.rowsSkipped}` : '') +
      `  warnings ${run.warnings}`,
  ];
  // Every row is accounted for: say why the skipped ones are no item, or the counts do not add up to the rows.
  if (run.rowsSkipped) {
    lines.push(`  skipped: ${run.rowsSkippedByReason.map((r) => `${r.count} ${r.reason}`).join(', ')}`);
  }
  if (run.diff) {
    const d = run.diff;
    lines.push(
      `  vs current: ${d.created} created, ${d.updated} updated, ${d.unchanged} unchanged, ${d.removed} removed`,
    );
  }
  if (run.imagesTotal) {
    lines.push(
      `  images ${run.imagesTotal}: ${run.imagesDone} done, ${run.imagesFailed} failed, ${run.imagesSkipped} unchanged`,
    );
  }
  if (run.status === 'SUCCEEDED' && !run.validateOnly) {
    lines.push(`  publish: ${run.publishStatus}${run.publishBlockedReason ? ` (${run.publishBlockedReason})` : ''}`);
  }
  if (run.error) lines.push(`  ${run.error.code}: ${run.error.message}`, `  hint: ${run.error.hint}`);
  for (const s of run.issueSummary.slice(0, 10)) {
    lines.push(
      `  ${s.severity.padEnd(7)} ${s.code} ${s.attribute ?? ''} ×${s.count} (rows ${s.sampleRows.join(', ')})`,
    );
  }
  return lines;
}

/** Bad command-line use: exit code 2, with the usage text. */
export class UsageError extends Error {}

/** Anything else that stops the command before a run could finish: exit code 1. */
export class CliError extends Error {}
