import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from './gql/graphql';

/**
 * The console talks to the public GraphQL API at /graphql, the same one any third party uses (README: Console):
 * queries and mutations over HTTP, the run progress over graphql-ws. The key travels as `Authorization: Bearer`.
 */

/** A failure a person can act on: the API's code, its message, and what to do about it. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field: readonly string[] | null = null,
    /** The API's own hint when it gives one (a run's error, an issue); else the console's for the code. */
    private readonly apiHint?: string,
  ) {
    super(message);
  }

  get hint(): string {
    return this.apiHint ?? hintFor(this.code);
  }
}

/** What to do about each code the API answers (GraphQL errors' extensions.code, userErrors' code, REST codes). */
const HINTS: Record<string, string> = {
  UNAUTHENTICATED: 'The API key is missing, revoked or mistyped: sign in again with a valid key.',
  FORBIDDEN: 'This key cannot do that: brand pages need a brand key, creator pages a creator key.',
  NOT_FOUND: 'It does not exist, or belongs to another account. Check the link or go back to the list.',
  BAD_USER_INPUT: 'A value is not accepted: correct it as the message says and try again.',
  CONFLICT: 'It clashes with the current state (a run already active, an offer already answered): reload and retry.',
  QUOTA_EXCEEDED: "The brand's storage quota is used up: delete feeds or old versions, or ask for a larger quota.",
  PAYLOAD_TOO_LARGE:
    'The file is larger than the server accepts (UPLOAD_MAX_BYTES): compress it with gzip or split it.',
  PUBLISH_IN_PROGRESS: 'Another publish of this feed is running: wait until it has finished, then try again.',
  RUN_NOT_PUBLISHABLE: 'This run staged nothing to publish (failed, validate-only or no items kept).',
  RUN_ALREADY_ACTIVE: 'The feed already has a run queued or running: wait for it or cancel it first.',
  RUN_ALREADY_FINISHED: 'The run has already finished; nothing to cancel.',
  ALREADY_REGISTERED: 'That email (or handle) is already registered: sign in with its API key instead.',
  ALREADY_CONNECTED: 'This store is already connected to your brand.',
  RATE_LIMITED: 'Too many requests in a short time: wait a few seconds and retry.',
  OVERLOADED: 'The server is busy right now: retry in a moment.',
  GRAPHQL_VALIDATION_FAILED: 'The console and the API disagree (an outdated build?): reload the page.',
  INTERNAL_SERVER_ERROR: 'Something failed on the server. Retry; if it persists, report it with the time.',
  NETWORK: 'The server could not be reached: check the connection and retry.',
  NO_PROCESSED_IMAGE:
    'The product has no processed main image: fix its image_link, run the feed again with images on, publish, then render.',
  // The feed-rule engine's codes (previewFeedRules problems; setFeedRules userErrors start their message with one).
  DUPLICATE_ID: 'Two rules share an id: give each rule its own rule id.',
  INVALID_NUMBER: 'A comparison needs a number or a price ("12.50 USD"): correct the value.',
  INVALID_REGEX: 'The pattern is not a valid regular expression: check brackets and escapes.',
  INVALID_TEMPLATE: 'A template has an unclosed or empty {placeholder}: write {attribute} names in full.',
  INVALID_TYPE: 'A value has the wrong type (a list where text is expected, …): check the JSON.',
  INVALID_VALUE: 'A value is outside what the field accepts (a label index 0 to 4, a length above 0, …).',
  REGEX_NOT_LINEAR: 'The pattern needs backtracking (backreferences, lookaround, large repeats): simplify it.',
  REQUIRED: 'A required field is empty (a rule id, a name, an attribute, a value): fill it in.',
  TOO_DEEP: 'Conditions are nested deeper than allowed: flatten the groups.',
  TOO_LONG: 'A text is longer than allowed: shorten it.',
  TOO_MANY: 'More rules, conditions, actions or map entries than allowed: split or remove some.',
  UNKNOWN_FIELD: 'A field the rule language does not have: check its spelling in the JSON.',
  UNREACHABLE_ACTION: 'An action after EXCLUDE never runs: remove it or move it to another rule.',
};

export function hintFor(code: string): string {
  return HINTS[code] ?? 'See the message above.';
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

let onUnauthenticated: (() => void) | undefined;
/** Called when the API answers UNAUTHENTICATED (a revoked key): the session ends. */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  apiKey?: string | null,
): Promise<TResult> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
  } catch (error) {
    throw new ApiError('NETWORK', `Network error: ${(error as Error).message}`);
  }
  let body: GraphQLResponse<TResult>;
  try {
    body = (await response.json()) as GraphQLResponse<TResult>;
  } catch {
    throw new ApiError(response.status === 429 ? 'RATE_LIMITED' : 'INTERNAL_SERVER_ERROR', `HTTP ${response.status}`);
  }
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
    if (code === 'UNAUTHENTICATED') onUnauthenticated?.();
    throw new ApiError(code, first.message);
  }
  return body.data as TResult;
}

/** A mutation's payload: its userErrors become one ApiError (the first; the field says where). */
export function payload<
  T extends { userErrors: readonly { code: string; message: string; field?: readonly string[] | null }[] },
>(value: T): T {
  const error = value.userErrors[0];
  if (error) throw new ApiError(error.code, error.message, error.field ?? null);
  return value;
}

let ws: { key: string; client: Client } | undefined;

/** Follows a subscription; returns the function that stops it. */
export function subscribe<TResult, TVariables extends Record<string, unknown>>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  apiKey: string,
  sink: { next(value: TResult): void; error(error: ApiError): void; complete(): void },
): () => void {
  if (!ws || ws.key !== apiKey) {
    void ws?.client.dispose();
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
    ws = {
      key: apiKey,
      client: createClient({ url, connectionParams: { authorization: `Bearer ${apiKey}` }, lazy: true }),
    };
  }
  return ws.client.subscribe<TResult>(
    { query: document.toString(), variables },
    {
      next: (message) => {
        const first = message.errors?.[0];
        if (first) sink.error(new ApiError(String(first.extensions?.code ?? 'INTERNAL_SERVER_ERROR'), first.message));
        else if (message.data) sink.next(message.data as TResult);
      },
      error: (error) =>
        sink.error(
          Array.isArray(error)
            ? new ApiError(String(error[0]?.extensions?.code ?? 'INTERNAL_SERVER_ERROR'), String(error[0]?.message))
            : new ApiError('NETWORK', 'The live connection closed; reload to follow the run again.'),
        ),
      complete: () => sink.complete(),
    },
  );
}

/** GETs a file the API serves with the key (the issues CSV) and hands it to the browser as a download. */
export async function download(url: string, apiKey: string, filename: string): Promise<void> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` } });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
    throw new ApiError(body.code ?? 'INTERNAL_SERVER_ERROR', body.message ?? `HTTP ${response.status}`);
  }
  const href = URL.createObjectURL(await response.blob());
  const a = Object.assign(document.createElement('a'), { href, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** Uploads a feed file (POST /feeds/:id/uploads, the raw body): the REST endpoint any client uses. */
export async function uploadFeedFile(
  feedId: string,
  file: Blob,
  apiKey: string,
  validateOnly: boolean,
): Promise<{ runId: string; status: string }> {
  // The file's name goes with it (?filename=), so the run and the feed's list of runs say which file it was.
  const query = new URLSearchParams(validateOnly ? { validateOnly: 'true' } : {});
  if (file instanceof File && file.name) query.set('filename', file.name);
  const search = query.toString();
  let response: Response;
  try {
    response = await fetch(`/feeds/${encodeURIComponent(feedId)}/uploads${search ? `?${search}` : ''}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/octet-stream' },
      body: file,
    });
  } catch (error) {
    throw new ApiError('NETWORK', `Network error: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => ({}))) as {
    runId?: string;
    status?: string;
    code?: string;
    message?: string;
  };
  if (!response.ok || !body.runId) {
    throw new ApiError(body.code ?? 'INTERNAL_SERVER_ERROR', body.message ?? `HTTP ${response.status}`);
  }
  return { runId: body.runId, status: body.status ?? 'QUEUED' };
}
