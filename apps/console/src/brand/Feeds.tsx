import { useId, useState, type FormEvent } from 'react';
import { payload, request } from '../client';
import { graphql } from '../gql';
import type { CreateFeedInput, FeedFormat, FeedMode, FeedSource } from '../gql/graphql';
import { Pager, useUrlPage } from '../paging';
import { Link, navigate } from '../router';
import { useApiKey } from '../session';
import { ErrorMessage, Field, Loading, Select, formatDate, useAction, useQuery } from '../ui';

const FeedsQuery = graphql(`
  query ConsoleFeeds($after: String) {
    feeds(first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        source
        format
        defaultCurrency
        updatedAt
        liveVersion {
          number
          itemCount
        }
        runs(first: 1) {
          nodes {
            id
            status
            publishStatus
          }
        }
      }
    }
  }
`);

const CreateFeed = graphql(`
  mutation ConsoleCreateFeed($input: CreateFeedInput!) {
    createFeed(input: $input) {
      feed {
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

/** "Column = attribute" lines into the mapping input; blank lines are skipped. */
function parseMapping(text: string): { column: string; attribute: string }[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const at = line.indexOf('=');
      return at < 0
        ? { column: line, attribute: '' }
        : { column: line.slice(0, at).trim(), attribute: line.slice(at + 1).trim() };
    });
}

export function Feeds() {
  const apiKey = useApiKey();
  const page = useUrlPage();
  const feeds = useQuery(FeedsQuery, { after: page.after }, apiKey);
  const [creating, setCreating] = useState(false);
  return (
    <>
      <div className="title-row">
        <h1>Feeds</h1>
        <button type="button" className="primary" aria-expanded={creating} onClick={() => setCreating(!creating)}>
          {creating ? 'Close the form' : 'New feed'}
        </button>
      </div>
      {creating ? <CreateFeedForm /> : null}
      <ErrorMessage error={feeds.error} />
      {feeds.loading && !feeds.data ? <Loading what="Loading feeds" /> : null}
      {feeds.data ? (
        feeds.data.feeds.nodes.length === 0 ? (
          <p>No feed yet. Create one, then upload a CSV or XML file to it.</p>
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table>
              <caption className="visually-hidden">Your feeds</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Source</th>
                  <th scope="col">Live version</th>
                  <th scope="col">Last run</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {feeds.data.feeds.nodes.map((feed) => {
                  const run = feed.runs.nodes[0];
                  return (
                    <tr key={feed.id}>
                      <td>
                        <Link href={`/brand/feeds/${encodeURIComponent(feed.id)}`}>{feed.name}</Link>
                      </td>
                      <td>
                        {feed.source} · {feed.format}
                      </td>
                      <td>
                        {feed.liveVersion
                          ? `v${feed.liveVersion.number} (${feed.liveVersion.itemCount} items)`
                          : 'none'}
                      </td>
                      <td>{run ? <span className={`badge ${run.status}`}>{run.status}</span> : '—'}</td>
                      <td>{formatDate(feed.updatedAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      <Pager page={page} pageInfo={feeds.data?.feeds.pageInfo} />
    </>
  );
}

function CreateFeedForm() {
  const apiKey = useApiKey();
  const [source, setSource] = useState<FeedSource>('UPLOAD');
  const create = useAction(async (input: CreateFeedInput) => {
    const { createFeed } = await request(CreateFeed, { input }, apiKey);
    navigate(`/brand/feeds/${encodeURIComponent(payload(createFeed).feed!.id)}`);
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    const mapping = parseMapping(String(form.get('columnMapping') ?? ''));
    void create.run({
      name: String(form.get('name')).trim(),
      source,
      format: form.get('format') as FeedFormat,
      mode: form.get('mode') as FeedMode,
      url: source === 'URL' ? text('url') : undefined,
      schedule: source === 'URL' ? text('schedule') : undefined,
      defaultCurrency: text('defaultCurrency')?.toUpperCase(),
      storeUrl: text('storeUrl'),
      language: text('language'),
      autoPublish: form.get('autoPublish') === 'on',
      suggestCategories: form.get('suggest') === 'on',
      acceptCategorySuggestionsAbove: text('acceptAbove') === undefined ? undefined : Number(text('acceptAbove')),
      columnMapping: mapping.length ? mapping : undefined,
    });
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="create-feed-title">
      <h2 id="create-feed-title">New feed</h2>
      <div className="grid-2">
        <Field label="Name" name="name" required maxLength={120} placeholder="Main catalog" />
        <Select
          label="Source"
          name="source"
          value={source}
          onChange={(e) => setSource(e.target.value as FeedSource)}
          options={[
            ['UPLOAD', 'Files I upload'],
            ['URL', 'A URL Brandshelf fetches'],
          ]}
        />
        {source === 'URL' ? (
          <>
            <Field label="Feed URL" name="url" type="url" required placeholder="https://shop.example.com/feed.xml" />
            <Field
              label="Schedule"
              name="schedule"
              placeholder="daily"
              help="hourly, daily, weekly, every 6h… Empty: only when you fetch."
            />
          </>
        ) : null}
        <Select
          label="Format"
          name="format"
          defaultValue="AUTO"
          options={[
            ['AUTO', 'Detect from the content'],
            ['CSV', 'CSV'],
            ['TSV', 'TSV'],
            ['XML', 'XML'],
          ]}
        />
        <Select
          label="Mode"
          name="mode"
          defaultValue="REPLACE"
          options={[
            ['REPLACE', 'Replace: the file is the whole catalog'],
            ['UPDATE_ONLY', 'Update only: overlay attributes on existing products'],
          ]}
        />
        <Field
          label="Default currency"
          name="defaultCurrency"
          placeholder="USD"
          maxLength={3}
          help="ISO 4217, for prices written without one (every shop export)."
        />
        <Field
          label="Store URL"
          name="storeUrl"
          placeholder="https://shop.example.com"
          help="Builds product links for shop exports that have none."
        />
        <Field
          label="Language"
          name="language"
          placeholder="en"
          maxLength={2}
          help="ISO 639-1 code of the catalog's text (default en)."
        />
      </div>
      <div className="field">
        <label htmlFor="column-mapping">Column mapping (optional)</label>
        <textarea
          id="column-mapping"
          name="columnMapping"
          rows={3}
          placeholder={'Artikelnummer = id\nPreis = price'}
          aria-describedby="column-mapping-help"
        />
        <small id="column-mapping-help" className="muted">
          One "column = attribute" per line, for headers Brandshelf does not recognize (Merchant Center names or
          custom:&lt;name&gt;).
        </small>
      </div>
      <fieldset>
        <legend>Category suggestions</legend>
        <CategoryFields suggest={false} acceptAbove={null} />
      </fieldset>
      <div className="field-inline">
        <input id="auto-publish" type="checkbox" name="autoPublish" />
        <label htmlFor="auto-publish">Publish each new version automatically (within the safety limits)</label>
      </div>
      <ErrorMessage error={create.error} />
      <button type="submit" className="primary" disabled={create.pending}>
        Create feed
      </button>
    </form>
  );
}

/**
 * The category settings of a feed (create and update): suggest a Google category for items without a usable one
 * (a GOOGLE_PRODUCT_CATEGORY_SUGGESTED warning), and apply suggestions above a confidence.
 */
export function CategoryFields({ suggest, acceptAbove }: { suggest: boolean; acceptAbove: number | null }) {
  const id = useId();
  return (
    <>
      <div className="field-inline">
        <input id={`${id}-suggest`} type="checkbox" name="suggest" defaultChecked={suggest} />
        <label htmlFor={`${id}-suggest`}>
          Suggest a Google product category for items without a usable one (a warning with the suggestion)
        </label>
      </div>
      <Field
        label="Apply suggestions above this confidence"
        name="acceptAbove"
        type="number"
        min={0}
        max={1}
        step={0.05}
        defaultValue={acceptAbove ?? ''}
        placeholder="0.8"
        help="0 to 1. Empty: suggestions stay warnings and none is applied. Setting it implies suggesting."
      />
    </>
  );
}
