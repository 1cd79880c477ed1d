import { describe, expect, it } from '@jest/globals';
import { summaryLines, type RunReport } from './run-report.js';

const run = (over: Partial<RunReport>): RunReport => ({
  id: 'SW5nZXN0aW9uUnVuOjE',
  status: 'SUCCEEDED',
  phase: 'DONE',
  validateOnly: true,
  detectedFormat: 'CSV',
  dialect: 'WOOCOMMERCE',
  encoding: 'utf-8',
  rowsRead: 25,
  rowsSkipped: 0,
  rowsSkippedByReason: [],
  itemsAccepted: 25,
  itemsRejected: 0,
  warnings: 0,
  bytesRead: 100,
  bytesTotal: 100,
  imagesTotal: 0,
  imagesDone: 0,
  imagesFailed: 0,
  imagesSkipped: 0,
  publishStatus: 'NOT_PUBLISHED',
  publishBlockedReason: null,
  diff: null,
  error: null,
  issueSummary: [],
  ...over,
});

describe('the CLI summary', () => {
  it('accounts for every row: skipped rows are counted and their reasons named', () => {
    const lines = summaryLines(
      run({
        itemsAccepted: 20,
        itemsRejected: 2,
        rowsSkipped: 3,
        rowsSkippedByReason: [
          { reason: 'VARIANT_PARENT', count: 2 },
          { reason: 'GROUPED_PRODUCT', count: 1 },
        ],
      }),
      1,
    );
    expect(lines).toContain('  rows 25  accepted 20  rejected 2  skipped 3  warnings 0');
    expect(lines).toContain('  skipped: 2 VARIANT_PARENT, 1 GROUPED_PRODUCT');
  });

  it('says nothing of skipped rows when there are none', () => {
    const lines = summaryLines(run({}), 1);
    expect(lines).toContain('  rows 25  accepted 25  rejected 0  warnings 0');
    expect(lines.join('\n')).not.toContain('skipped');
  });
});
