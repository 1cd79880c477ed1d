import { navigate, useLocation } from './router';

/**
 * The URL (path and query, the page included) each list was last shown at: a detail page's "← back" link returns
 * to it, the page and filters kept.
 */
const lastShown = new Map<string, string>();
export const lastListHref = (path: string): string => lastShown.get(path) ?? path;

const href = (path: string, query: URLSearchParams) => `${path}${query.toString() ? `?${query}` : ''}`;

export interface UrlPage {
  /** The cursor of the page shown (`after=` in the URL), null on the first page. */
  after: string | null;
  query: URLSearchParams;
  /** Changes the query (a filter, the sort) and goes back to the first page, in place of this history entry. */
  update(change: (next: URLSearchParams) => void): void;
  /** The page after `cursor`, as a new history entry (Back returns to this page). */
  next(cursor: string): void;
  first(): void;
}

/**
 * A list's page in the URL (`after=`), like its filters: a reload, Back, a shared link and a detail page's back link
 * (lastListHref) keep the place. Every paged list of the console reads its page through this. A second list on the
 * same page keeps its own page under another name (`param`, e.g. `rulesAfter=`), so each pages on its own.
 */
export function useUrlPage(param = 'after'): UrlPage {
  const { path, query } = useLocation();
  lastShown.set(path, href(path, query));
  const update = (change: (next: URLSearchParams) => void) => {
    const next = new URLSearchParams(query);
    change(next);
    next.delete(param);
    navigate(href(path, next), true);
  };
  return {
    after: query.get(param),
    query,
    update,
    next(cursor) {
      const next = new URLSearchParams(query);
      next.set(param, cursor);
      navigate(href(path, next));
    },
    first: () => update(() => undefined),
  };
}

/**
 * "First page" (when not on it) and "Next page" (when there is one) for a list paged with useUrlPage. A second list
 * on the same page names its buttons apart (`nextLabel`, `firstLabel`), so each button says which list it pages.
 */
export function Pager({
  page,
  pageInfo,
  nextLabel = 'Next page',
  firstLabel = 'First page',
}: {
  page: UrlPage;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null } | undefined;
  nextLabel?: string;
  firstLabel?: string;
}) {
  if (!page.after && !pageInfo?.hasNextPage) return null;
  return (
    <div className="actions">
      {page.after ? (
        <button type="button" onClick={page.first}>
          {firstLabel}
        </button>
      ) : null}
      {pageInfo?.hasNextPage && pageInfo.endCursor ? (
        <button type="button" onClick={() => page.next(pageInfo.endCursor!)}>
          {nextLabel}
        </button>
      ) : null}
    </div>
  );
}
