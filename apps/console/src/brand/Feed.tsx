import { useRef, useState, type DragEvent, type FormEvent } from 'react';
import { payload, request, uploadFeedFile } from '../client';
import { graphql } from '../gql';
import { Pager, lastListHref, useUrlPage } from '../paging';
import { Link } from '../router';
import { useApiKey } from '../session';
import { ErrorMessage, Loading, formatDate, useAction, useQuery } from '../ui';
import { CategoryFields } from './Feeds';
import { ProgressBar, useRunProgress } from './progress';

const FeedQuery = graphql(`
  query ConsoleFeed($id: ID!, $runsAfter: String, $publicationsAfter: String) {
    feed(id: $id) {
      id
      name
      source
      format
      mode
      url
      schedule
      nextFetchAt
      defaultCurrency
      storeUrl
      language
      autoPublish
      maxRemovalShare
      maxRejectedShare
      suggestCategories
      acceptCategorySuggestionsAbove
      feedRules {
        version
        createdAt
        rules {
          ruleId
          name
          enabled
        }
      }
      liveVersion {
        number
      }
      runs(first: 20, after: $runsAfter) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          status
          phase
          trigger
          validateOnly
          queuedAt
          rowsRead
          itemsAccepted
          itemsRejected
          errors
          warnings
          publishStatus
          sourceName
        }
      }
      versions(first: 20) {
        nodes {
          id
          number
          itemCount
          isLive
          createdAt
          run {
            id
          }
        }
      }
      publications(first: 10, after: $publicationsAfter) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          kind
          created
          updated
          unchanged
          removed
          publishedAt
          version {
            number
          }
        }
      }
    }
  }
`);

const Rollback = graphql(`
  mutation ConsoleRollback($input: RollbackFeedInput!) {
    rollbackFeed(input: $input) {
      publication {
        id
        created
        updated
        removed
        version {
          number
        }
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const FetchNow = graphql(`
  mutation ConsoleFetchNow($input: FetchFeedNowInput!) {
    fetchFeedNow(input: $input) {
      run {
        id
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const UpdateCategories = graphql(`
  mutation ConsoleUpdateFeedCategories($input: UpdateFeedInput!) {
    updateFeed(input: $input) {
      feed {
        id
        suggestCategories
        acceptCategorySuggestionsAbove
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const SyncStore = graphql(`
  mutation ConsoleSyncStore($input: SyncShopifyStoreInput!) {
    syncShopifyStore(input: $input) {
      run {
        id
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

export function Feed({ id }: { id: string }) {
  const apiKey = useApiKey();
  // The runs' page and the publications' are each in the URL (runsAfter= and publicationsAfter=): a reload, Back or a
  // run's back link keeps both, and each list pages on its own.
  const runsPage = useUrlPage('runsAfter');
  const publicationsPage = useUrlPage('publicationsAfter');
  const feed = useQuery(
    FeedQuery,
    { id, runsAfter: runsPage.after, publicationsAfter: publicationsPage.after },
    apiKey,
  );
  const [activeRun, setActiveRun] = useState<string | null>(null);
  const progress = useRunProgress(activeRun, apiKey, () => feed.reload());
  const [rolledBack, setRolledBack] = useState<string | null>(null);
  const rollback = useAction(async (toVersion: number) => {
    const { rollbackFeed } = await request(Rollback, { input: { feedId: id, toVersion } }, apiKey);
    const done = payload(rollbackFeed).publication!;
    setRolledBack(
      `Version ${done.version?.number} is live again: ${done.created} created, ${done.updated} updated, ${done.removed} removed.`,
    );
    feed.reload();
  });
  const startRun = useAction(async (kind: 'fetch' | 'sync' | 'fullSync') => {
    const runId =
      kind === 'fetch'
        ? payload((await request(FetchNow, { input: { feedId: id } }, apiKey)).fetchFeedNow).run!.id
        : payload(
            (await request(SyncStore, { input: { feedId: id, full: kind === 'fullSync' } }, apiKey)).syncShopifyStore,
          ).run!.id;
    setActiveRun(runId);
    feed.reload();
  });

  if (feed.error && !feed.data) return <ErrorMessage error={feed.error} />;
  if (!feed.data) return <Loading what="Loading the feed" />;
  const f = feed.data.feed;
  return (
    <>
      <p>
        <Link href={lastListHref('/brand/feeds')}>← Feeds</Link>
      </p>
      <h1>{f.name}</h1>
      <dl className="facts">
        <dt>Source</dt>
        <dd>
          {f.source} · {f.format} · {f.mode}
        </dd>
        {f.url ? (
          <>
            <dt>URL</dt>
            <dd className="break">{f.url}</dd>
          </>
        ) : null}
        <dt>Currency</dt>
        <dd>{f.defaultCurrency ?? 'as written'}</dd>
        <dt>Store</dt>
        <dd className="break">{f.storeUrl ?? '—'}</dd>
        <dt>Live version</dt>
        <dd>{f.liveVersion ? `v${f.liveVersion.number}` : 'none yet'}</dd>
        <dt>Publishing</dt>
        <dd>
          {f.autoPublish
            ? `automatic, unless over ${Math.round(f.maxRemovalShare * 100)}% removed or ${Math.round(f.maxRejectedShare * 100)}% rejected`
            : 'by hand'}
        </dd>
        {f.schedule ? (
          <>
            <dt>Schedule</dt>
            <dd>
              {f.schedule} (next {formatDate(f.nextFetchAt)})
            </dd>
          </>
        ) : null}
      </dl>

      <section aria-labelledby="rules-title" className="card">
        <h2 id="rules-title">Rules</h2>
        {f.feedRules && f.feedRules.rules.length ? (
          <>
            <p>
              Version {f.feedRules.version} ({formatDate(f.feedRules.createdAt)}), applied to every run from then on:
            </p>
            <ol className="plain">
              {f.feedRules.rules.map((r) => (
                <li key={r.ruleId}>
                  {r.name}{' '}
                  <span className="muted small">
                    ({r.ruleId}
                    {r.enabled ? '' : ', disabled'})
                  </span>
                </li>
              ))}
            </ol>
          </>
        ) : (
          <p className="muted">
            No rules{f.feedRules ? ` (version ${f.feedRules.version} removed them)` : ''}: items are read as they are.
          </p>
        )}
        <Link href={`/brand/feeds/${encodeURIComponent(id)}/rules`}>Edit rules, preview and versions</Link>
      </section>

      <CategorySettings
        feedId={id}
        suggest={f.suggestCategories}
        acceptAbove={f.acceptCategorySuggestionsAbove ?? null}
        onSaved={feed.reload}
      />

      {f.source === 'UPLOAD' ? <UploadBox feedId={id} onStarted={(runId) => setActiveRun(runId)} /> : null}
      {f.source === 'URL' ? (
        <button type="button" onClick={() => void startRun.run('fetch')} disabled={startRun.pending}>
          Fetch now
        </button>
      ) : null}
      {f.source === 'SHOPIFY' ? (
        <div className="actions">
          <button type="button" onClick={() => void startRun.run('sync')} disabled={startRun.pending}>
            Sync changes
          </button>
          <button type="button" onClick={() => void startRun.run('fullSync')} disabled={startRun.pending}>
            Full sync
          </button>
        </div>
      ) : null}
      <ErrorMessage error={startRun.error} />

      {activeRun ? (
        <section aria-labelledby="progress-title" className="card">
          <h2 id="progress-title">Progress</h2>
          {progress.run ? <ProgressBar run={progress.run} /> : <Loading what="Waiting for the run" />}
          <ErrorMessage error={progress.error} />
          {progress.run && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(progress.run.status) ? (
            <p>
              <Link href={`/brand/runs/${encodeURIComponent(activeRun)}`}>
                Open the run: diagnostics and publishing
              </Link>
            </p>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="runs-title">
        <h2 id="runs-title">Runs ({f.runs.totalCount})</h2>
        {f.runs.nodes.length === 0 ? (
          <p className="muted">{runsPage.after ? 'No more runs on this page.' : 'No run yet.'}</p>
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Status</th>
                  <th scope="col">Rows</th>
                  <th scope="col">Accepted</th>
                  <th scope="col">Rejected</th>
                  <th scope="col">Issues</th>
                  <th scope="col">Published</th>
                </tr>
              </thead>
              <tbody>
                {f.runs.nodes.map((run) => (
                  <tr key={run.id}>
                    <td>
                      <Link href={`/brand/runs/${encodeURIComponent(run.id)}`}>
                        {formatDate(run.queuedAt)}
                        {run.validateOnly ? ' (validate only)' : ''}
                      </Link>
                      <div className="muted small">{run.sourceName ?? run.trigger}</div>
                    </td>
                    <td>
                      <span className={`badge ${run.status}`}>{run.status}</span>
                    </td>
                    <td>{run.rowsRead}</td>
                    <td>{run.itemsAccepted}</td>
                    <td>{run.itemsRejected}</td>
                    <td>
                      {run.errors} errors, {run.warnings} warnings
                    </td>
                    <td>{run.publishStatus}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager page={runsPage} pageInfo={f.runs.pageInfo} nextLabel="Older runs" firstLabel="Newest runs" />
      </section>

      <section aria-labelledby="versions-title">
        <h2 id="versions-title">Versions</h2>
        {rolledBack ? (
          <p className="success" role="status">
            {rolledBack}
          </p>
        ) : null}
        <ErrorMessage error={rollback.error} />
        {f.versions.nodes.length === 0 ? (
          <p className="muted">No catalog version yet: a successful run stages one.</p>
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Items</th>
                  <th scope="col">Staged</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {f.versions.nodes.map((version) => (
                  <tr key={version.id}>
                    <td>v{version.number}</td>
                    <td>{version.itemCount}</td>
                    <td>{formatDate(version.createdAt)}</td>
                    <td>
                      {version.isLive ? (
                        <strong>Live</strong>
                      ) : f.liveVersion && version.number < f.liveVersion.number ? (
                        <button
                          type="button"
                          onClick={() => void rollback.run(version.number)}
                          disabled={rollback.pending}
                        >
                          Roll back to v{version.number}
                        </button>
                      ) : version.run ? (
                        <Link href={`/brand/runs/${encodeURIComponent(version.run.id)}`}>Review and publish</Link>
                      ) : (
                        'staged'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="publications-title">
        <h2 id="publications-title">Publications</h2>
        {f.publications.nodes.length === 0 ? (
          <p className="muted">
            {publicationsPage.after ? 'No more publications on this page.' : 'Nothing published yet.'}
          </p>
        ) : (
          <ul className="plain">
            {f.publications.nodes.map((p) => (
              <li key={p.id}>
                {formatDate(p.publishedAt)}: {p.kind.toLowerCase()} to v{p.version?.number ?? '?'} · {p.created}{' '}
                created, {p.updated} updated, {p.unchanged} unchanged, {p.removed} removed
              </li>
            ))}
          </ul>
        )}
        <Pager
          page={publicationsPage}
          pageInfo={f.publications.pageInfo}
          nextLabel="Older publications"
          firstLabel="Newest publications"
        />
      </section>
    </>
  );
}

/** The feed's category suggestions: off, suggest only (warnings), or suggest and apply above a confidence. */
function CategorySettings({
  feedId,
  suggest,
  acceptAbove,
  onSaved,
}: {
  feedId: string;
  suggest: boolean;
  acceptAbove: number | null;
  onSaved(): void;
}) {
  const apiKey = useApiKey();
  const [done, setDone] = useState(false);
  const save = useAction(async (form: FormData) => {
    setDone(false);
    const threshold = String(form.get('acceptAbove') ?? '').trim();
    const { updateFeed } = await request(
      UpdateCategories,
      {
        input: {
          feedId,
          suggestCategories: form.get('suggest') === 'on',
          acceptCategorySuggestionsAbove: threshold === '' ? null : Number(threshold),
        },
      },
      apiKey,
    );
    payload(updateFeed);
    setDone(true);
    onSaved();
  });
  return (
    <form
      className="card"
      aria-labelledby="categories-title"
      onSubmit={(event: FormEvent<HTMLFormElement>) => {
        event.preventDefault();
        void save.run(new FormData(event.currentTarget));
      }}
    >
      <h2 id="categories-title">Category suggestions</h2>
      <CategoryFields suggest={suggest} acceptAbove={acceptAbove} />
      <ErrorMessage error={save.error} />
      {done ? (
        <p className="success" role="status">
          Saved: the next run uses these settings.
        </p>
      ) : null}
      <button type="submit" disabled={save.pending}>
        Save category settings
      </button>
    </form>
  );
}

function UploadBox({ feedId, onStarted }: { feedId: string; onStarted(runId: string): void }) {
  const apiKey = useApiKey();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [over, setOver] = useState(false);
  const [validateOnly, setValidateOnly] = useState(false);
  const upload = useAction(async (chosen: File) => {
    const { runId } = await uploadFeedFile(feedId, chosen, apiKey, validateOnly);
    // Uploaded: the selection is cleared (unless another file was chosen meanwhile), so a second click cannot send the
    // same file twice. On a failure this is not reached and the file stays selected, for a retry.
    setFile((current) => (current === chosen ? null : current));
    if (input.current?.files?.[0] === chosen) input.current.value = '';
    onStarted(runId);
  });
  const drop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped) setFile(dropped);
  };
  return (
    <section aria-labelledby="upload-title" className="card">
      <h2 id="upload-title">Upload a file</h2>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <label htmlFor="feed-file">Drop a CSV, TSV or XML file here (gzip welcome), or choose one</label>
        <input id="feed-file" ref={input} type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        {file ? (
          <p>
            {file.name} · {(file.size / 1024).toFixed(1)} KB
          </p>
        ) : null}
      </div>
      <div className="field-inline">
        <input
          id="validate-only"
          type="checkbox"
          checked={validateOnly}
          onChange={(e) => setValidateOnly(e.target.checked)}
        />
        <label htmlFor="validate-only">Validate only (diagnostics and counts, nothing staged, images unchecked)</label>
      </div>
      <ErrorMessage error={upload.error} />
      <button
        type="button"
        className="primary"
        disabled={!file || upload.pending}
        onClick={() => file && void upload.run(file)}
      >
        {upload.pending ? 'Uploading…' : 'Upload and ingest'}
      </button>
    </section>
  );
}
