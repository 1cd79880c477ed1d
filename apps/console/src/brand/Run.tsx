import { useState } from 'react';
import { download, payload, request } from '../client';
import { graphql } from '../gql';
import type { ConsoleRunQuery, IssueCode, IssueFilterInput, IssueSeverity } from '../gql/graphql';
import { Pager, useUrlPage } from '../paging';
import { Link, navigate } from '../router';
import { useApiKey } from '../session';
import { ErrorMessage, Field, Loading, Select, formatDate, useAction, useQuery } from '../ui';
import { ProgressBar, useRunProgress } from './progress';

const RunQuery = graphql(`
  query ConsoleRun($id: ID!) {
    ingestionRun(id: $id) {
      id
      status
      phase
      progress
      trigger
      validateOnly
      sourceName
      queuedAt
      finishedAt
      rowsRead
      rowsSkipped
      itemsAccepted
      itemsRejected
      errors
      warnings
      imagesDone
      imagesTotal
      imagesFailed
      imagesChecked
      issuesStored
      issuesCsvUrl
      publishStatus
      publishBlockedReason
      publishedAt
      error {
        code
        message
        hint
      }
      diff {
        created
        updated
        unchanged
        removed
      }
      version {
        number
        isLive
      }
      feed {
        id
        name
        maxRemovalShare
        maxRejectedShare
        liveVersion {
          number
          itemCount
        }
      }
      issueSummary {
        code
        severity
        attribute
        count
        sampleRows
      }
    }
  }
`);

const IssuesQuery = graphql(`
  query ConsoleRunIssues($id: ID!, $filter: IssueFilterInput, $after: String) {
    ingestionRun(id: $id) {
      id
      issues(filter: $filter, first: 50, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            row
            itemId
            severity
            code
            attribute
            value
            message
            hint
          }
        }
      }
    }
  }
`);

const Publish = graphql(`
  mutation ConsolePublish($input: PublishRunInput!) {
    publishRun(input: $input) {
      publication {
        id
        created
        updated
        unchanged
        removed
        leftOut
        leftOutByReason {
          reason
          count
        }
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

const Cancel = graphql(`
  mutation ConsoleCancelRun($input: CancelRunInput!) {
    cancelRun(input: $input) {
      run {
        id
        status
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const ACTIVE = new Set(['QUEUED', 'RUNNING']);

export function Run({ id }: { id: string }) {
  const apiKey = useApiKey();
  const run = useQuery(RunQuery, { id }, apiKey);
  const active = run.data ? ACTIVE.has(run.data.ingestionRun.status) : false;
  const progress = useRunProgress(active ? id : null, apiKey, () => run.reload());
  const cancel = useAction(async () => {
    payload((await request(Cancel, { input: { runId: id } }, apiKey)).cancelRun);
    run.reload();
  });

  if (run.error && !run.data) return <ErrorMessage error={run.error} />;
  if (!run.data) return <Loading what="Loading the run" />;
  const r = run.data.ingestionRun;
  return (
    <>
      <p>
        <Link href={`/brand/feeds/${encodeURIComponent(r.feed.id)}`}>← {r.feed.name}</Link>
      </p>
      <h1>
        Run of {formatDate(r.queuedAt)} <span className={`badge ${r.status}`}>{r.status}</span>
      </h1>
      {active && progress.run ? <ProgressBar run={progress.run} /> : null}
      {active ? (
        <button type="button" onClick={() => void cancel.run()} disabled={cancel.pending}>
          Cancel the run
        </button>
      ) : null}
      <ErrorMessage error={cancel.error ?? progress.error} />
      {r.error ? (
        <div className="error" role="alert">
          <p>
            <strong>{r.error.message}</strong>
          </p>
          <p className="muted">
            <code>{r.error.code}</code> · {r.error.hint}
          </p>
        </div>
      ) : null}
      <dl className="facts">
        <dt>File</dt>
        <dd className="break">{r.sourceName ?? r.trigger}</dd>
        <dt>Rows read</dt>
        <dd>
          {r.rowsRead} ({r.rowsSkipped} skipped)
        </dd>
        <dt>Items</dt>
        <dd>
          {r.itemsAccepted} accepted, {r.itemsRejected} rejected
        </dd>
        <dt>Issues</dt>
        <dd>
          {r.errors} errors, {r.warnings} warnings
        </dd>
        <dt>Images</dt>
        <dd>{r.imagesChecked ? `${r.imagesDone} of ${r.imagesTotal} (${r.imagesFailed} failed)` : 'not checked'}</dd>
      </dl>
      {!active ? <PublishPanel run={r} onPublished={run.reload} /> : null}
      <Diagnostics run={r} />
    </>
  );
}

type RunData = ConsoleRunQuery['ingestionRun'];

function PublishPanel({ run, onPublished }: { run: RunData; onPublished(): void }) {
  const apiKey = useApiKey();
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const publish = useAction(async () => {
    const { publishRun } = await request(Publish, { input: { runId: run.id } }, apiKey);
    const p = payload(publishRun).publication!;
    const leftOut = p.leftOut
      ? ` ${p.leftOut} left out (${p.leftOutByReason.map((r) => `${r.reason}: ${r.count}`).join(', ')}).`
      : '';
    setDone(
      `Published v${p.version?.number}: ${p.created} created, ${p.updated} updated, ${p.removed} removed.${leftOut}`,
    );
    setConfirming(false);
    onPublished();
  });
  const live = run.feed.liveVersion;
  const removalShare = live && live.itemCount && run.diff ? run.diff.removed / live.itemCount : 0;
  const publishable = run.status === 'SUCCEEDED' && !run.validateOnly && run.version;
  // With nothing live, a run compares with the feed's latest staged version (an upload never published): those
  // counts are not what publishing does, which puts every item of this version live.
  const diff = run.diff;
  const items = diff ? diff.created + diff.updated + diff.unchanged : 0;
  const againstStaged = !live && !!diff && diff.updated + diff.unchanged + diff.removed > 0;
  return (
    <section aria-labelledby="publish-title" className="card">
      <h2 id="publish-title">Publish</h2>
      {done ? (
        <p className="success" role="status">
          {done}
        </p>
      ) : null}
      {run.publishStatus === 'WAITING' ? (
        <div className="warning" role="note">
          <strong>Waiting for a person:</strong>{' '}
          {run.publishBlockedReason ?? 'automatic publishing stopped at a safety limit.'}
        </div>
      ) : null}
      {diff && !run.version?.isLive ? (
        <>
          <p>
            Against the live catalog{live ? ` (v${live.number}, ${live.itemCount} items)` : ' (nothing live yet)'}, this
            version:
          </p>
          <ul className="diff" aria-label="Changes this publish makes">
            <li>
              <strong>{againstStaged ? items : diff.created}</strong> created
            </li>
            <li>
              <strong>{againstStaged ? 0 : diff.updated}</strong> updated
            </li>
            <li>
              <strong>{againstStaged ? 0 : diff.unchanged}</strong> unchanged
            </li>
            <li className={removalShare > run.feed.maxRemovalShare ? 'danger' : ''}>
              <strong>{againstStaged ? 0 : diff.removed}</strong> removed
              {removalShare > run.feed.maxRemovalShare
                ? ` (${Math.round(removalShare * 100)}% of the live products, over the ${Math.round(run.feed.maxRemovalShare * 100)}% safety limit)`
                : ''}
            </li>
          </ul>
          {againstStaged ? (
            <p className="muted small">
              Compared with the previous upload (never published): {diff.created} new, {diff.updated} changed,{' '}
              {diff.unchanged} unchanged, {diff.removed} dropped.
            </p>
          ) : null}
        </>
      ) : null}
      {run.version?.isLive ? (
        <p>
          v{run.version.number} is live{run.publishedAt ? ` since ${formatDate(run.publishedAt)}` : ''}.
        </p>
      ) : publishable ? (
        confirming ? (
          <div className="actions">
            <button type="button" className="primary" onClick={() => void publish.run()} disabled={publish.pending}>
              Confirm: publish v{run.version!.number}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Not now
            </button>
          </div>
        ) : (
          <button type="button" className="primary" onClick={() => setConfirming(true)}>
            Publish…
          </button>
        )
      ) : (
        <p className="muted">
          {run.validateOnly
            ? 'A validate-only run stages nothing to publish: upload the file for real once it reads well.'
            : run.status !== 'SUCCEEDED'
              ? 'Only a successful run can be published.'
              : 'This run staged no new version (nothing changed).'}
        </p>
      )}
      <ErrorMessage error={publish.error} />
    </section>
  );
}

function Diagnostics({ run }: { run: RunData }) {
  const apiKey = useApiKey();
  // The filters and the page (after=) are in the URL: a filtered view can be shared, a reload or Back keeps the page.
  const page = useUrlPage();
  const { query, after } = page;
  const filter: IssueFilterInput = {
    severity: (query.get('severity') as IssueSeverity) || undefined,
    code: (query.get('code') as IssueCode) || undefined,
    attribute: query.get('attribute') || undefined,
    row: query.get('row') ? Number(query.get('row')) : undefined,
  };
  const issues = useQuery(IssuesQuery, { id: run.id, filter, after }, apiKey);
  const csv = useAction(() => download(run.issuesCsvUrl, apiKey, `issues-${run.id.slice(0, 12)}.csv`));
  const setFilter = (name: string, value: string) =>
    page.update((next) => {
      if (value) next.set(name, value);
      else next.delete(name);
      if (name !== 'row') next.delete('row');
    });
  const codes = [...new Set(run.issueSummary.map((s) => s.code))].sort();
  const attributes = [...new Set(run.issueSummary.map((s) => s.attribute).filter((a): a is string => !!a))].sort();
  if (!run.issueSummary.length) {
    return (
      <section aria-labelledby="diagnostics-title">
        <h2 id="diagnostics-title">Diagnostics</h2>
        <p>
          {ACTIVE.has(run.status) ? 'Diagnostics appear as the file is read.' : 'No issue: every row read cleanly.'}
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="diagnostics-title">
      <div className="title-row">
        <h2 id="diagnostics-title">Diagnostics</h2>
        <button type="button" onClick={() => void csv.run()} disabled={csv.pending}>
          Download all issues (CSV)
        </button>
      </div>
      <ErrorMessage error={csv.error} />
      <h3>Summary by code</h3>
      <div className="table-wrap" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Code</th>
              <th scope="col">Attribute</th>
              <th scope="col">Count</th>
              <th scope="col">Sample rows</th>
            </tr>
          </thead>
          <tbody>
            {run.issueSummary.map((s) => (
              <tr key={`${s.code}-${s.severity}-${s.attribute}`}>
                <td>
                  <span className={`badge ${s.severity}`}>{s.severity}</span>
                </td>
                <td>
                  <button type="button" className="link" onClick={() => setFilter('code', s.code)}>
                    {s.code}
                  </button>
                </td>
                <td>{s.attribute ?? '—'}</td>
                <td>{s.count}</td>
                <td>{s.sampleRows.slice(0, 5).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Issues</h3>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter issues">
        <Select
          label="Severity"
          value={filter.severity ?? ''}
          onChange={(e) => setFilter('severity', e.target.value)}
          options={[
            ['', 'All'],
            ['ERROR', 'Errors'],
            ['WARNING', 'Warnings'],
          ]}
        />
        <Select
          label="Code"
          value={filter.code ?? ''}
          onChange={(e) => setFilter('code', e.target.value)}
          options={[['', 'All codes'], ...codes.map((c) => [c, c] as const)]}
        />
        <Select
          label="Attribute"
          value={filter.attribute ?? ''}
          onChange={(e) => setFilter('attribute', e.target.value)}
          options={[['', 'All attributes'], ...attributes.map((a) => [a, a] as const)]}
        />
        {filter.row !== undefined ? <Field label="Row" value={String(filter.row)} readOnly /> : null}
        {filter.severity || filter.code || filter.attribute || filter.row !== undefined ? (
          <button type="button" onClick={() => navigate(location.pathname, true)}>
            Clear filters
          </button>
        ) : null}
      </form>
      <ErrorMessage error={issues.error} />
      {issues.data ? (
        <>
          <p role="status" className="muted">
            {issues.data.ingestionRun.issues.totalCount} matching issues
          </p>
          <div className="table-wrap" tabIndex={0}>
            <table className="issues">
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Code</th>
                  <th scope="col">Attribute</th>
                  <th scope="col">Value</th>
                  <th scope="col">Problem and hint</th>
                </tr>
              </thead>
              <tbody>
                {issues.data.ingestionRun.issues.edges.map(({ node }) => (
                  <tr key={node.id}>
                    <td>
                      {node.row > 0 ? (
                        <Link
                          href={`${location.pathname}?row=${node.row}`}
                          aria-label={`All issues of row ${node.row}`}
                        >
                          {node.row}
                        </Link>
                      ) : (
                        'file'
                      )}
                      {node.itemId ? <div className="muted small">{node.itemId}</div> : null}
                    </td>
                    <td>
                      <span className={`badge ${node.severity}`}>{node.severity}</span>
                    </td>
                    <td>
                      <code>{node.code}</code>
                    </td>
                    <td>{node.attribute ?? '—'}</td>
                    <td className="break">{node.value ?? ''}</td>
                    <td>
                      {node.message}
                      <div className="hint">{node.hint}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pageInfo={issues.data.ingestionRun.issues.pageInfo} nextLabel="Next 50 issues" />
        </>
      ) : (
        <Loading what="Loading issues" />
      )}
    </section>
  );
}
