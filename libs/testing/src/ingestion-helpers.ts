import type { TestApi } from './test-api.js';

export const RUN_FIELDS = `id status phase validateOnly notModified rowsRead rowsSkipped rowsSkippedByReason { reason count }
  itemsAccepted itemsRejected warnings errors
  bytesRead bytesTotal detectedFormat dialect encoding delimiter versionId issuesStored
  diff { created updated unchanged removed } error { code message hint }
  issueSummary { code severity attribute count sampleRows }`;

export interface RunView {
  id: string;
  status: string;
  phase: string;
  validateOnly: boolean;
  notModified: boolean;
  rowsRead: number;
  rowsSkipped: number;
  rowsSkippedByReason: { reason: string; count: number }[];
  itemsAccepted: number;
  itemsRejected: number;
  warnings: number;
  errors: number;
  /** BigInt scalars: decimal strings. */
  bytesRead: string;
  bytesTotal: string | null;
  detectedFormat: string | null;
  dialect: string | null;
  encoding: string | null;
  delimiter: string | null;
  versionId: string | null;
  issuesStored: number;
  diff: { created: number; updated: number; unchanged: number; removed: number } | null;
  error: { code: string; message: string; hint: string } | null;
  issueSummary: { code: string; severity: string; attribute: string | null; count: number; sampleRows: number[] }[];
}

export async function createFeed(api: TestApi, apiKey: string, input: Record<string, unknown>): Promise<string> {
  const data = await api.gqlOk<{ createFeed: { feed: { id: string } } }>(
    'mutation($input: CreateFeedInput!) { createFeed(input: $input) { feed { id } userErrors { code message field } } }',
    { input: { name: 'Feed', ...input } },
    apiKey,
  );
  return data.createFeed.feed.id;
}

export async function uploadFeed(
  api: TestApi,
  apiKey: string,
  feedId: string,
  body: string | Buffer,
  query = '',
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any }> {
  const res = await fetch(`${api.url}/feeds/${feedId}/uploads${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/octet-stream', ...headers },
    body,
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

/** Polls the run until it finishes (the worker runs in the same process in tests). */
export async function waitForRun(api: TestApi, apiKey: string, runId: string, timeoutMs = 60_000): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const data = await api.gqlOk<{ ingestionRun: RunView }>(
      `query($id: ID!) { ingestionRun(id: $id) { ${RUN_FIELDS} } }`,
      { id: runId },
      apiKey,
    );
    const run = data.ingestionRun;
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function ingest(
  api: TestApi,
  apiKey: string,
  feedId: string,
  body: string | Buffer,
  query = '',
): Promise<RunView> {
  const res = await uploadFeed(api, apiKey, feedId, body, query);
  if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${JSON.stringify(res.json)}`);
  return waitForRun(api, apiKey, res.json.runId);
}

export const summaryCodes = (run: RunView): string[] => [...new Set(run.issueSummary.map((s) => s.code))].sort();

/** A CSV feed of valid items, one main image each: what the image tests vary is only the image URL. */
export function oneImageFeed(rows: { id: string; image: string }[]): string {
  const header = 'id,title,description,link,image_link,additional_image_link,availability,price,brand,mpn';
  const line = ({ id, image }: { id: string; image: string }) =>
    [
      id,
      `Product ${id}`,
      'A product.',
      `https://shop.example/${id}`,
      image,
      '',
      'in stock',
      '10.00 USD',
      'Acme',
      id,
    ].join(',');
  return [header, ...rows.map(line)].join('\n');
}
