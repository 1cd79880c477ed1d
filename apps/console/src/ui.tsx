import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
} from 'react';
import { ApiError, request } from './client';
import type { TypedDocumentString } from './gql/graphql';

/** Runs a query when its variables change; `reload` runs it again. */
export function useQuery<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  apiKey?: string | null,
  options: { skip?: boolean } = {},
): { data: TResult | undefined; error: ApiError | undefined; loading: boolean; reload(): void } {
  const [state, setState] = useState<{ data?: TResult; error?: ApiError; loading: boolean }>({
    loading: !options.skip,
  });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (options.skip) return;
    let live = true;
    setState((previous) => ({ ...previous, loading: true }));
    request(document, variables, apiKey).then(
      (data) => live && setState({ data, loading: false }),
      (error: ApiError) =>
        live && setState((previous) => ({ data: previous.data, error: asApiError(error), loading: false })),
    );
    return () => {
      live = false;
    };
    // `variables` is compared by value (key), not identity: a new object each render must not refetch.
  }, [document, key, apiKey, tick, options.skip]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError
    ? error
    : new ApiError('INTERNAL_SERVER_ERROR', String((error as Error)?.message ?? error));
}

/** Runs an action (a mutation, an upload) with its pending state and error. */
export function useAction<TArgs extends unknown[], TResult>(action: (...args: TArgs) => Promise<TResult>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const run = useCallback(
    async (...args: TArgs): Promise<TResult | undefined> => {
      setPending(true);
      setError(undefined);
      try {
        return await action(...args);
      } catch (caught) {
        setError(asApiError(caught));
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [action],
  );
  return { run, pending, error, clearError: () => setError(undefined) };
}

/**
 * The control of `form` an error's field path names (`["input", "storeUrl"]` is the control named storeUrl): the
 * path's last segment that names one, so `["input", "dailyBudget", "currency"]` finds the currency field.
 */
function controlFor(form: HTMLFormElement | null, field: readonly string[]): HTMLElement | null {
  if (!form) return null;
  for (const name of [...field].reverse()) {
    const control = form.elements.namedItem(name);
    if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement) return control;
    if (control instanceof HTMLTextAreaElement) return control;
  }
  return null;
}

/**
 * An error as a person reads it: what happened, the code, and what to do. When the error names a field of the form
 * it is shown in, that control is marked invalid (highlighted, and `aria-invalid` for screen readers) until the
 * error goes, and the field is named by its label rather than the API's path.
 */
export function ErrorMessage({ error }: { error: ApiError | undefined }) {
  const box = useRef<HTMLDivElement>(null);
  const [label, setLabel] = useState<string | null>(null);
  useEffect(() => {
    const control = error?.field ? controlFor(box.current?.closest('form') ?? null, error.field) : null;
    const labels = (control as HTMLInputElement | null)?.labels;
    setLabel(labels?.[0]?.textContent ?? null);
    if (!control) return;
    control.setAttribute('aria-invalid', 'true');
    return () => control.removeAttribute('aria-invalid');
  }, [error]);
  if (!error) return null;
  return (
    <div className="error" role="alert" ref={box}>
      <p>
        <strong>{error.message}</strong>
      </p>
      <p className="muted">
        <code>{error.code}</code>
        {error.field ? <> on {label ? <strong>{label}</strong> : <code>{error.field.join('.')}</code>}</> : null}
        {' · '}
        {error.hint}
      </p>
    </div>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" role="status">
      {what}…
    </p>
  );
}

type FieldProps = InputHTMLAttributes<HTMLInputElement> & { label: string; help?: ReactNode };

export function Field({ label, help, id, ...input }: FieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const helpId = help ? `${inputId}-help` : undefined;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} aria-describedby={helpId} {...input} />
      {help ? (
        <small id={helpId} className="muted">
          {help}
        </small>
      ) : null}
    </div>
  );
}

type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  options: readonly (readonly [value: string, label: string])[];
  help?: ReactNode;
};

export function Select({ label, options, help, id, ...select }: SelectProps) {
  const generated = useId();
  const selectId = id ?? generated;
  const helpId = help ? `${selectId}-help` : undefined;
  return (
    <div className="field">
      <label htmlFor={selectId}>{label}</label>
      <select id={selectId} aria-describedby={helpId} {...select}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      {help ? (
        <small id={helpId} className="muted">
          {help}
        </small>
      ) : null}
    </div>
  );
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard refused (no permission, plain http): select-and-copy fallback.
      const area = Object.assign(document.createElement('textarea'), { value: text });
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setCopied(false), 2000);
  };
  return (
    <button type="button" onClick={() => void copy()}>
      {copied ? 'Copied' : label}
      <span className="visually-hidden" aria-live="polite">
        {copied ? ' to the clipboard' : ''}
      </span>
    </button>
  );
}

export function formatDate(value: string | null | undefined): string {
  return value ? new Date(value).toLocaleString() : '—';
}
