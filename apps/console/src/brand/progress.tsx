import { useEffect, useState } from 'react';
import { ApiError, subscribe } from '../client';
import { graphql } from '../gql';
import type { ConsoleRunProgressSubscription } from '../gql/graphql';
import { ErrorMessage } from '../ui';

const RunProgress = graphql(`
  subscription ConsoleRunProgress($runId: ID!) {
    ingestionRunProgress(runId: $runId) {
      id
      status
      phase
      progress
      rowsRead
      itemsAccepted
      itemsRejected
      rowsSkipped
      errors
      warnings
      imagesDone
      imagesTotal
      publishStatus
      publishBlockedReason
      error {
        code
        message
        hint
      }
    }
  }
`);

export type Progress = ConsoleRunProgressSubscription['ingestionRunProgress'];

const FINISHED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** The run as `ingestionRunProgress` sends it, until it finishes; `onFinished` runs once at the end. */
export function useRunProgress(runId: string | null, apiKey: string, onFinished?: (run: Progress) => void) {
  const [run, setRun] = useState<Progress | null>(null);
  const [error, setError] = useState<ApiError | undefined>();
  useEffect(() => {
    if (!runId) return;
    setRun(null);
    setError(undefined);
    let last: Progress | null = null;
    const stop = subscribe(RunProgress, { runId }, apiKey, {
      next: (data) => {
        last = data.ingestionRunProgress;
        setRun(last);
      },
      error: setError,
      complete: () => {
        if (last) onFinished?.(last);
      },
    });
    return stop;
    // onFinished is read when the run ends; a new function each render must not restart the subscription.
  }, [runId, apiKey]);
  return { run, error, finished: run ? FINISHED.has(run.status) && run.publishStatus !== undefined : false };
}

export function ProgressBar({ run }: { run: Progress }) {
  const done = FINISHED.has(run.status);
  const percent = done ? 100 : Math.round((run.progress ?? 0) * 100);
  return (
    <div className="progress-block">
      <div className="progress-label" id={`progress-${run.id}`}>
        {done ? `Run ${run.status.toLowerCase()}` : `${run.phase.toLowerCase()}…`} · {run.rowsRead} rows read ·{' '}
        {run.itemsAccepted} accepted · {run.itemsRejected} rejected
        {run.imagesTotal ? ` · images ${run.imagesDone}/${run.imagesTotal}` : ''}
      </div>
      <progress
        max={100}
        value={percent}
        aria-labelledby={`progress-${run.id}`}
        aria-valuetext={`${percent}%`}
        data-status={run.status}
      >
        {percent}%
      </progress>
      {run.error ? (
        <ErrorMessage error={new ApiError(run.error.code, run.error.message, null, run.error.hint)} />
      ) : null}
    </div>
  );
}
