import { useState, type FormEvent } from 'react';
import { payload, request } from '../client';
import { graphql } from '../gql';
import type { ExportChannel, ExportCheck } from '../gql/graphql';
import { Pager, lastListHref, useUrlPage } from '../paging';
import { Link, navigate } from '../router';
import { useApiKey } from '../session';
import { CopyButton, ErrorMessage, Field, Loading, Select, formatDate, useAction, useQuery } from '../ui';
import { SET_NAME_MAX } from './ProductSets';
import { useSetChoices } from './setChoices';

const ExportsQuery = graphql(`
  query ConsoleChannelExports($after: String) {
    channelExports(first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        channel
        productSet {
          id
          name
        }
        createdAt
        tokenRotatedAt
      }
    }
  }
`);

const ExportQuery = graphql(`
  query ConsoleChannelExport($id: ID!, $after: String) {
    channelExport(id: $id) {
      id
      channel
      productSet {
        id
        name
      }
      createdAt
      tokenRotatedAt
      checked
      checkedAll
      leftOut
      byCheck {
        check
        count
      }
      issues(first: 50, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          offerId
          check
          required
          message
          product {
            id
            title
          }
        }
      }
    }
  }
`);

const CreateExport = graphql(`
  mutation ConsoleCreateChannelExport($input: CreateChannelExportInput!) {
    createChannelExport(input: $input) {
      channelExport {
        id
        channel
      }
      url
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const RotateExport = graphql(`
  mutation ConsoleRotateChannelExportToken($input: RotateChannelExportTokenInput!) {
    rotateChannelExportToken(input: $input) {
      channelExport {
        id
        channel
        tokenRotatedAt
      }
      url
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const DeleteExport = graphql(`
  mutation ConsoleDeleteChannelExport($input: DeleteChannelExportInput!) {
    deleteChannelExport(input: $input) {
      deletedChannelExportId
      userErrors {
        code
        message
        field
      }
    }
  }
`);

/** Each channel in words: the short name in lists, where the URL goes, and how. */
export const CHANNELS: Record<ExportChannel, { name: string; long: string; paste: string }> = {
  GOOGLE: {
    name: 'Google',
    long: 'Google Merchant Center (RSS)',
    paste: 'In Google Merchant Center, add a product source as a scheduled fetch and paste this URL as the file URL.',
  },
  META: {
    name: 'Meta',
    long: 'Meta: Facebook and Instagram (CSV)',
    paste:
      'In Meta Commerce Manager, add items to your catalog with a data feed on a scheduled upload and paste this URL.',
  },
  TIKTOK: {
    name: 'TikTok',
    long: 'TikTok (CSV)',
    paste: 'In TikTok Catalog Manager, add products with a data feed on a schedule and paste this URL.',
  },
};
const CHANNEL_ORDER: ExportChannel[] = ['GOOGLE', 'META', 'TIKTOK'];

/** Each check in words (the enum's code stays as the cell's title). */
export const CHECKS: Record<ExportCheck, string> = {
  IMAGE_TOO_SMALL: 'Main image smaller than 500×500',
  MISSING_GTIN: 'No GTIN (barcode)',
  MISSING_REQUIRED_FIELD: 'A field the channel requires is missing',
  PROMOTIONAL_TITLE: 'Promotional text in the title',
  TITLE_TOO_LONG: 'Title too long for the channel',
};

const setName = (set: { name: string } | null | undefined) => set?.name ?? 'Whole catalog';

/** A URL just made (create or New URL): shown this once, with a copy button and where to paste it. */
interface MadeUrl {
  exportId: string;
  channel: ExportChannel;
  url: string;
  /** Made by "New URL": the old one stopped working. */
  rotated: boolean;
}

function ShownOnce({ made, onDone }: { made: MadeUrl; onDone(): void }) {
  const channel = CHANNELS[made.channel];
  return (
    <section className="card" aria-labelledby="export-url-title">
      <h2 id="export-url-title">
        {made.rotated ? 'The new URL' : 'The URL'} of your {channel.name} export
      </h2>
      <div className="warning" role="note">
        <strong>Copy this URL now: it is not shown again.</strong> Brandshelf keeps only a fingerprint of it, so nobody
        can show it to you later (New URL makes another).{' '}
        {made.rotated ? 'The old URL has stopped working: replace it in the channel. ' : ''}
        {channel.paste}
      </div>
      <div className="key-row">
        <label htmlFor="export-url">Export URL</label>
        <input
          id="export-url"
          readOnly
          value={made.url}
          // The button clicked (Create export, Confirm: new URL) is gone: focus goes to the URL, selected to copy.
          autoFocus
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyButton text={made.url} label="Copy URL" />
      </div>
      <button type="button" onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}

/** New URL and Delete for one export, each asking to confirm first, in the page. */
function ExportActions({
  id,
  label,
  onRotated,
  onDeleted,
}: {
  id: string;
  label: string;
  onRotated(made: MadeUrl): void;
  onDeleted(): void;
}) {
  const apiKey = useApiKey();
  const [confirming, setConfirming] = useState<'rotate' | 'delete' | null>(null);
  const act = useAction(async (kind: 'rotate' | 'delete') => {
    const input = { channelExportId: id };
    if (kind === 'rotate') {
      const done = payload((await request(RotateExport, { input }, apiKey)).rotateChannelExportToken);
      setConfirming(null);
      onRotated({ exportId: id, channel: done.channelExport!.channel, url: done.url!, rotated: true });
    } else {
      payload((await request(DeleteExport, { input }, apiKey)).deleteChannelExport);
      setConfirming(null);
      onDeleted();
    }
  });
  return (
    <div className="actions">
      {confirming === 'rotate' ? (
        <>
          <p className="small">The current URL stops working at once: the channel needs the new one.</p>
          <button
            type="button"
            className="primary"
            // The button clicked is gone: focus goes to the step that replaced it, for keyboard users.
            autoFocus
            onClick={() => void act.run('rotate')}
            disabled={act.pending}
          >
            Confirm: new URL for {label}
          </button>
          <button type="button" onClick={() => setConfirming(null)}>
            Keep the current URL
          </button>
        </>
      ) : confirming === 'delete' ? (
        <>
          <p className="small">Its URL stops working and the channel gets nothing more from it.</p>
          <button
            type="button"
            className="primary"
            autoFocus
            onClick={() => void act.run('delete')}
            disabled={act.pending}
          >
            Confirm: delete {label}
          </button>
          <button type="button" onClick={() => setConfirming(null)}>
            Keep it
          </button>
        </>
      ) : (
        <>
          <button type="button" onClick={() => setConfirming('rotate')}>
            New URL…<span className="visually-hidden"> for {label}</span>
          </button>
          <button type="button" onClick={() => setConfirming('delete')}>
            Delete…<span className="visually-hidden"> {label}</span>
          </button>
        </>
      )}
      <ErrorMessage error={act.error} />
    </div>
  );
}

export function Exports() {
  const apiKey = useApiKey();
  // 20 a page, the page in the URL (after=): a reload or Back keeps it.
  const page = useUrlPage();
  const exports = useQuery(ExportsQuery, { after: page.after }, apiKey);
  const [creating, setCreating] = useState(false);
  const [made, setMade] = useState<MadeUrl | null>(null);
  return (
    <>
      <div className="title-row">
        <h1>Channel exports</h1>
        <button type="button" className="primary" aria-expanded={creating} onClick={() => setCreating(!creating)}>
          {creating ? 'Close the form' : 'New export'}
        </button>
      </div>
      <p className="muted">
        Your live catalog, or one product set, as a feed Google Merchant Center, Meta or TikTok fetch on a schedule from
        a private URL. Each export checks your products against the channel's rules first.
      </p>
      {made ? <ShownOnce key={made.url} made={made} onDone={() => setMade(null)} /> : null}
      {creating ? (
        <CreateExportForm
          onCreated={(next) => {
            setMade(next);
            setCreating(false);
            exports.reload();
          }}
        />
      ) : null}
      <ErrorMessage error={exports.error} />
      {exports.loading && !exports.data ? <Loading what="Loading exports" /> : null}
      {exports.data ? (
        exports.data.channelExports.nodes.length === 0 ? (
          <p>{page.after ? 'No more exports on this page.' : 'No export yet.'}</p>
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table>
              <caption className="visually-hidden">Your channel exports</caption>
              <thead>
                <tr>
                  <th scope="col">Channel</th>
                  <th scope="col">Products</th>
                  <th scope="col">Created</th>
                  <th scope="col">URL made</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {exports.data.channelExports.nodes.map((e) => {
                  const label = `${CHANNELS[e.channel].name} export of ${setName(e.productSet)}`;
                  return (
                    <tr key={e.id}>
                      <td>
                        <Link href={`/brand/exports/${encodeURIComponent(e.id)}`}>
                          {CHANNELS[e.channel].name}
                          <span className="visually-hidden"> export of {setName(e.productSet)}: its checks</span>
                        </Link>
                      </td>
                      <td>{setName(e.productSet)}</td>
                      <td className="small">{formatDate(e.createdAt)}</td>
                      <td className="small">{formatDate(e.tokenRotatedAt)}</td>
                      <td>
                        <ExportActions
                          id={e.id}
                          label={label}
                          onRotated={(next) => {
                            setMade(next);
                            exports.reload();
                          }}
                          onDeleted={() => {
                            if (made?.exportId === e.id) setMade(null);
                            exports.reload();
                          }}
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      <Pager page={page} pageInfo={exports.data?.channelExports.pageInfo} />
    </>
  );
}

function CreateExportForm({ onCreated }: { onCreated(made: MadeUrl): void }) {
  const apiKey = useApiKey();
  const create = useAction(async (channel: ExportChannel, productSetId: string) => {
    const input = { channel, productSetId: productSetId || undefined };
    const done = payload((await request(CreateExport, { input }, apiKey)).createChannelExport);
    onCreated({ exportId: done.channelExport!.id, channel, url: done.url!, rotated: false });
  });
  const { typed, setTyped, search, found } = useSetChoices();
  const sets = found?.nodes ?? [];
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void create.run(String(form.get('channel')) as ExportChannel, String(form.get('productSetId') ?? ''));
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="create-export-title">
      <h2 id="create-export-title">New channel export</h2>
      <div className="grid-2">
        <Select
          label="Channel"
          name="channel"
          defaultValue="GOOGLE"
          options={CHANNEL_ORDER.map((c) => [c, CHANNELS[c].long] as const)}
        />
        <Select
          label="Products"
          name="productSetId"
          defaultValue=""
          options={[['', 'Whole catalog'] as const, ...sets.map((s) => [s.id, s.name] as const)]}
          help="Your whole live catalog, or only the products of one of your product sets."
        />
        {found && (search || found.totalCount > sets.length) ? (
          <Field
            label="Find a set by name"
            type="search"
            value={typed}
            maxLength={SET_NAME_MAX}
            onChange={(e) => setTyped(e.target.value)}
            help={`${sets.length} of ${found.totalCount} ${search ? 'matching sets' : 'sets'} listed: type part of a name to find the others.`}
          />
        ) : null}
      </div>
      <ErrorMessage error={create.error} />
      <button type="submit" className="primary" disabled={create.pending}>
        Create export
      </button>
    </form>
  );
}

/** One export: its checks (how many products, how many left out, by check) and its findings 50 at a time. */
export function ExportChecks({ id }: { id: string }) {
  const apiKey = useApiKey();
  // The findings' page in the URL (after=), as a run's issues keep theirs.
  const page = useUrlPage();
  const found = useQuery(ExportQuery, { id, after: page.after }, apiKey);
  const [made, setMade] = useState<MadeUrl | null>(null);
  const back = (
    <p>
      <Link href={lastListHref('/brand/exports')}>← Channel exports</Link>
    </p>
  );
  if (found.error && !found.data) {
    return (
      <>
        {back}
        <ErrorMessage error={found.error} />
      </>
    );
  }
  if (!found.data) return <Loading what="Loading the export" />;
  const e = found.data.channelExport;
  const channel = CHANNELS[e.channel];
  const label = `${channel.name} export of ${setName(e.productSet)}`;
  return (
    <>
      {back}
      <h1>
        {channel.name} export: {setName(e.productSet)}
      </h1>
      {made ? <ShownOnce key={made.url} made={made} onDone={() => setMade(null)} /> : null}
      <dl className="facts">
        <dt>Channel</dt>
        <dd>{channel.long}</dd>
        <dt>Products</dt>
        <dd>{setName(e.productSet)}</dd>
        <dt>Created</dt>
        <dd>{formatDate(e.createdAt)}</dd>
        <dt>URL made</dt>
        <dd>{formatDate(e.tokenRotatedAt)}</dd>
      </dl>
      <ExportActions
        id={e.id}
        label={label}
        onRotated={(next) => {
          setMade(next);
          found.reload();
        }}
        onDeleted={() => navigate(lastListHref('/brand/exports'))}
      />
      <section aria-labelledby="checks-title">
        <h2 id="checks-title">Checks</h2>
        <ul className="plain" aria-label="What the checks found">
          <li>
            <strong>{e.checked}</strong> products checked{e.checkedAll ? '' : ' (the newest 200,000 of them)'}
          </li>
          <li>
            <strong>{e.leftOut}</strong> left out: a required check of {channel.name} failed
          </li>
        </ul>
        {e.byCheck.length ? (
          <div className="table-wrap" tabIndex={0}>
            <table>
              <caption>Products found by each check</caption>
              <thead>
                <tr>
                  <th scope="col">Check</th>
                  <th scope="col">Products</th>
                </tr>
              </thead>
              <tbody>
                {e.byCheck.map((c) => (
                  <tr key={c.check}>
                    <td title={c.check}>{CHECKS[c.check] ?? c.check}</td>
                    <td>{c.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>Every product passes {channel.name}'s checks.</p>
        )}
      </section>
      {e.issues.totalCount ? (
        <section aria-labelledby="findings-title">
          <h2 id="findings-title">Findings</h2>
          <p className="muted">
            {e.issues.totalCount} in all, 50 a page. A required check leaves the product out of the export; advice does
            not. Fix the product in your feed and publish: the export follows the live catalog.
          </p>
          <div className="table-wrap" tabIndex={0}>
            <table className="findings">
              <caption className="visually-hidden">Findings of the checks</caption>
              <thead>
                <tr>
                  <th scope="col">Offer id</th>
                  <th scope="col">Check</th>
                  <th scope="col">Required or advice</th>
                  <th scope="col">Message</th>
                </tr>
              </thead>
              <tbody>
                {e.issues.nodes.map((issue) => (
                  <tr key={issue.id}>
                    <td>
                      {issue.offerId}
                      {issue.product ? <div className="muted small">{issue.product.title}</div> : null}
                    </td>
                    <td title={issue.check}>{CHECKS[issue.check] ?? issue.check}</td>
                    <td>{issue.required ? 'Required: left out' : 'Advice'}</td>
                    <td>{issue.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pageInfo={e.issues.pageInfo} nextLabel="Next 50 findings" firstLabel="First findings" />
        </section>
      ) : null}
    </>
  );
}
