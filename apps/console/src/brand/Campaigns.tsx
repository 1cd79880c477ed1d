import { useState, type FormEvent } from 'react';
import { payload, request } from '../client';
import { graphql } from '../gql';
import type { CampaignStatus, CreateCampaignInput } from '../gql/graphql';
import { Pager, useUrlPage } from '../paging';
import { Link, navigate } from '../router';
import { useApiKey } from '../session';
import { ErrorMessage, Field, Loading, Select, formatDate, useAction, useQuery } from '../ui';
import { SET_NAME_MAX } from './ProductSets';
import { useSetChoices } from './setChoices';

const CampaignsQuery = graphql(`
  query ConsoleCampaigns($after: String, $from: String!, $to: String!) {
    campaigns(first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        status
        running
        productSet {
          id
          name
        }
        startsAt
        endsAt
        dailyBudget {
          amount
          currency
          formatted
        }
        maxCpc {
          formatted
        }
        stats(from: $from, to: $to) {
          day
          spend {
            amount
            currency
          }
        }
      }
    }
    adsTerms {
      currency
      reserveCpc {
        formatted
      }
    }
  }
`);

const CreateCampaign = graphql(`
  mutation ConsoleCreateCampaign($input: CreateCampaignInput!) {
    createCampaign(input: $input) {
      campaign {
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

export const PauseCampaign = graphql(`
  mutation ConsolePauseCampaign($input: CampaignIdInput!) {
    pauseCampaign(input: $input) {
      campaign {
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

export const ResumeCampaign = graphql(`
  mutation ConsoleResumeCampaign($input: CampaignIdInput!) {
    resumeCampaign(input: $input) {
      campaign {
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

export const EndCampaign = graphql(`
  mutation ConsoleEndCampaign($input: CampaignIdInput!) {
    endCampaign(input: $input) {
      campaign {
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

/** A UTC day as YYYY-MM-DD, `offset` days from today. */
export function utcDay(offset = 0): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

/** Sums decimal money strings exactly (in minor units), written back with the largest number of decimals seen. */
export function sumAmounts(amounts: readonly string[]): string {
  const decimals = Math.max(0, ...amounts.map((a) => (a.includes('.') ? a.length - a.indexOf('.') - 1 : 0)));
  const scale = 10n ** BigInt(decimals);
  let total = 0n;
  for (const amount of amounts) {
    const negative = amount.startsWith('-');
    const [whole, fraction = ''] = amount.replace('-', '').split('.');
    const minor = BigInt(whole || '0') * scale + BigInt((fraction + '0'.repeat(decimals)).slice(0, decimals) || '0');
    total += negative ? -minor : minor;
  }
  const sign = total < 0n ? '-' : '';
  const abs = total < 0n ? -total : total;
  const whole = (abs / scale).toString();
  return decimals ? `${sign}${whole}.${(abs % scale).toString().padStart(decimals, '0')}` : `${sign}${whole}`;
}

/** A summed amount for display, like Money.formatted ("$12.40"); the sum itself stays exact (sumAmounts). */
export function formatMoney(amount: string, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
}

/** Pause, resume and end: the buttons a campaign's status allows; ending asks to confirm first. */
export function CampaignActions({
  id,
  status,
  label,
  onChanged,
}: {
  id: string;
  status: CampaignStatus;
  label: string;
  onChanged(): void;
}) {
  const apiKey = useApiKey();
  const [confirmEnd, setConfirmEnd] = useState(false);
  const act = useAction(async (kind: 'pause' | 'resume' | 'end') => {
    const input = { campaignId: id };
    if (kind === 'pause') payload((await request(PauseCampaign, { input }, apiKey)).pauseCampaign);
    else if (kind === 'resume') payload((await request(ResumeCampaign, { input }, apiKey)).resumeCampaign);
    else payload((await request(EndCampaign, { input }, apiKey)).endCampaign);
    setConfirmEnd(false);
    onChanged();
  });
  if (status === 'ENDED') return <span className="muted">Ended</span>;
  return (
    <div className="actions">
      {status === 'ACTIVE' ? (
        <button type="button" onClick={() => void act.run('pause')} disabled={act.pending}>
          Pause<span className="visually-hidden"> {label}</span>
        </button>
      ) : (
        <button type="button" onClick={() => void act.run('resume')} disabled={act.pending}>
          Resume<span className="visually-hidden"> {label}</span>
        </button>
      )}
      {confirmEnd ? (
        <>
          <button type="button" className="primary" onClick={() => void act.run('end')} disabled={act.pending}>
            Confirm: end {label} for good
          </button>
          <button type="button" onClick={() => setConfirmEnd(false)}>
            Keep it
          </button>
        </>
      ) : (
        <button type="button" onClick={() => setConfirmEnd(true)}>
          End…<span className="visually-hidden"> {label}</span>
        </button>
      )}
      <ErrorMessage error={act.error} />
    </div>
  );
}

export function Campaigns() {
  const apiKey = useApiKey();
  const page = useUrlPage();
  const [creating, setCreating] = useState(false);
  const today = utcDay();
  // 20 a page: each campaign costs one stats aggregate (the API prices it at 100 of its 10,000 per query).
  const campaigns = useQuery(CampaignsQuery, { after: page.after, from: utcDay(-29), to: today }, apiKey);
  return (
    <>
      <div className="title-row">
        <h1>Campaigns</h1>
        <button type="button" className="primary" aria-expanded={creating} onClick={() => setCreating(!creating)}>
          {creating ? 'Close the form' : 'New campaign'}
        </button>
      </div>
      <p className="muted">
        Sponsored products in creator search: a product set's live products bid for the sponsored slots.
      </p>
      {creating && campaigns.data ? <CreateCampaignForm terms={campaigns.data.adsTerms} /> : null}
      <ErrorMessage error={campaigns.error} />
      {campaigns.loading && !campaigns.data ? <Loading what="Loading campaigns" /> : null}
      {campaigns.data ? (
        campaigns.data.campaigns.nodes.length === 0 ? (
          <p>No campaign yet. Make a product set first, then start a campaign on it.</p>
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table>
              <caption className="visually-hidden">Your campaigns</caption>
              <thead>
                <tr>
                  <th scope="col">Product set</th>
                  <th scope="col">Status</th>
                  <th scope="col">Daily budget</th>
                  <th scope="col">Max CPC</th>
                  <th scope="col">Spend today</th>
                  <th scope="col">Spend, 30 days</th>
                  <th scope="col">Dates</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {campaigns.data.campaigns.nodes.map((c) => {
                  // Each campaign names its own set (not looked up among the first sets: a brand may have hundreds).
                  const name = c.productSet?.name ?? 'Deleted set';
                  const currency = c.dailyBudget.currency;
                  const todaySpend = c.stats.find((s) => s.day === today)?.spend.amount ?? '0';
                  const monthSpend = sumAmounts(c.stats.map((s) => s.spend.amount));
                  return (
                    <tr key={c.id}>
                      <td>
                        <Link href={`/brand/campaigns/${encodeURIComponent(c.id)}`}>{name}</Link>
                      </td>
                      <td>
                        <span className={`badge ${c.status}`}>{c.status}</span>
                        {c.status === 'ACTIVE' && !c.running ? (
                          <div className="muted small">not in its dates</div>
                        ) : null}
                      </td>
                      <td>{c.dailyBudget.formatted}</td>
                      <td>{c.maxCpc.formatted}</td>
                      <td>{formatMoney(todaySpend, currency)}</td>
                      <td>{formatMoney(monthSpend, currency)}</td>
                      <td className="small">
                        {formatDate(c.startsAt)} → {c.endsAt ? formatDate(c.endsAt) : 'no end'}
                      </td>
                      <td>
                        <CampaignActions id={c.id} status={c.status} label={name} onChanged={campaigns.reload} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      <Pager page={page} pageInfo={campaigns.data?.campaigns.pageInfo} />
    </>
  );
}

/** A datetime-local value (local time, to the minute) for now. */
function localNow(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function CreateCampaignForm({
  terms,
}: {
  /** What createCampaign accepts here: the one ads currency and the least bid. */
  terms: { currency: string; reserveCpc: { formatted: string } };
}) {
  const apiKey = useApiKey();
  const create = useAction(async (input: CreateCampaignInput) => {
    const { createCampaign } = await request(CreateCampaign, { input }, apiKey);
    navigate(`/brand/campaigns/${encodeURIComponent(payload(createCampaign).campaign!.id)}`);
  });
  const { typed, setTyped, search, found } = useSetChoices();
  const [chosen, setChosen] = useState('');
  const options = found?.nodes ?? [];
  // The set chosen while it is among the matches, else the first match.
  const productSetId = options.some((s) => s.id === chosen) ? chosen : (options[0]?.id ?? '');
  if (found && !search && !typed && found.totalCount === 0) {
    return (
      <p className="warning">
        A campaign sponsors a product set: <Link href="/brand/product-sets">make a product set</Link> first.
      </p>
    );
  }
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const currency = text('currency') || terms.currency;
    const endsAt = text('endsAt');
    void create.run({
      productSetId: text('productSetId'),
      maxCpc: { amount: text('maxCpc'), currency },
      dailyBudget: { amount: text('dailyBudget'), currency },
      startsAt: new Date(text('startsAt') || Date.now()).toISOString(),
      endsAt: endsAt ? new Date(endsAt).toISOString() : undefined,
    });
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="create-campaign-title">
      <h2 id="create-campaign-title">New campaign</h2>
      <div className="grid-2">
        <Field
          label="Find a set by name"
          type="search"
          value={typed}
          maxLength={SET_NAME_MAX}
          onChange={(e) => setTyped(e.target.value)}
          help={
            !found
              ? 'Loading your sets…'
              : found.totalCount > options.length
                ? `${options.length} of ${found.totalCount} ${search ? 'matching sets' : 'sets'} listed: type part of a name to find the others.`
                : search
                  ? `${found.totalCount} ${found.totalCount === 1 ? 'set matches' : 'sets match'}.`
                  : 'Type part of a name to narrow the list.'
          }
        />
        <Select
          label="Product set"
          name="productSetId"
          value={productSetId}
          onChange={(e) => setChosen(e.target.value)}
          required
          options={
            options.length
              ? options.map((s) => [s.id, s.name] as const)
              : [['', found ? `No set's name contains "${search}"` : 'Loading…'] as const]
          }
        />
        <Field
          label="Max CPC"
          name="maxCpc"
          required
          inputMode="decimal"
          pattern="\d+(\.\d+)?"
          placeholder="0.45"
          help={`The most one click may cost: your bid (at least the reserve price, ${terms.reserveCpc.formatted}).`}
        />
        <Field
          label="Daily budget"
          name="dailyBudget"
          required
          inputMode="decimal"
          pattern="\d+(\.\d+)?"
          placeholder="20.00"
          help="The most it spends per UTC day; at least the max CPC."
        />
        <Select
          label="Currency"
          name="currency"
          defaultValue={terms.currency}
          options={[[terms.currency, terms.currency]]}
          help={`The only currency campaigns take here: one auction compares every bid, so all are in ${terms.currency}.`}
        />
        <Field label="Starts" name="startsAt" type="datetime-local" defaultValue={localNow()} required />
        <Field label="Ends (optional)" name="endsAt" type="datetime-local" help="Empty: runs until you end it." />
      </div>
      <ErrorMessage error={create.error} />
      <button type="submit" className="primary" disabled={create.pending || !productSetId}>
        Start campaign
      </button>
    </form>
  );
}
