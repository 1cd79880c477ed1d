import { useEffect, useId, useState } from 'react';
import { ApiError, hintFor, request } from '../client';
import { graphql } from '../gql';
import type {
  FeedRuleActionInput,
  FeedRuleActionType,
  FeedRuleConditionInput,
  FeedRuleInput,
  FeedRuleOperator,
  ConsolePreviewFeedRulesQuery,
} from '../gql/graphql';

type FeedRulesPreview = ConsolePreviewFeedRulesQuery['previewFeedRules'];
import { Link } from '../router';
import { useApiKey } from '../session';
import { ErrorMessage, Field, Loading, Select, formatDate, useAction, useQuery } from '../ui';

// Conditions are read four groups deep: the API's depth limit (GRAPHQL_MAX_DEPTH, 10) allows no more in one query.
// A deeper group comes back empty, and saving it answers REQUIRED, so nothing is lost silently.
graphql(`
  fragment ConsoleRuleLeaf on FeedRuleCondition {
    attribute
    operator
    value
    values
  }
`);
graphql(`
  fragment ConsoleRuleGroup1 on FeedRuleCondition {
    ...ConsoleRuleLeaf
    all {
      ...ConsoleRuleLeaf
    }
    any {
      ...ConsoleRuleLeaf
    }
  }
`);
graphql(`
  fragment ConsoleRuleGroup2 on FeedRuleCondition {
    ...ConsoleRuleLeaf
    all {
      ...ConsoleRuleGroup1
    }
    any {
      ...ConsoleRuleGroup1
    }
  }
`);
graphql(`
  fragment ConsoleRuleGroup3 on FeedRuleCondition {
    ...ConsoleRuleLeaf
    all {
      ...ConsoleRuleGroup2
    }
    any {
      ...ConsoleRuleGroup2
    }
  }
`);
graphql(`
  fragment ConsoleFeedRuleSet on FeedRuleSet {
    version
    createdAt
    restoredFromVersion
    rules {
      ruleId
      name
      enabled
      when {
        ...ConsoleRuleLeaf
        all {
          ...ConsoleRuleGroup3
        }
        any {
          ...ConsoleRuleGroup3
        }
      }
      actions {
        type
        attribute
        value
        template
        index
        maxLength
        pattern
        replacement
        targetAttribute
        defaultValue
        table {
          from
          to
        }
      }
    }
  }
`);

const FeedRulesQuery = graphql(`
  query ConsoleFeedRules($id: ID!) {
    feed(id: $id) {
      id
      name
      feedRules {
        ...ConsoleFeedRuleSet
      }
    }
  }
`);

const FeedRulesVersion = graphql(`
  query ConsoleFeedRulesVersion($id: ID!, $version: Int!) {
    feed(id: $id) {
      id
      feedRules(version: $version) {
        ...ConsoleFeedRuleSet
      }
    }
  }
`);

const PreviewRules = graphql(`
  query ConsolePreviewFeedRules($feedId: ID!, $rules: [FeedRuleInput!]!) {
    previewFeedRules(feedId: $feedId, rules: $rules, sample: 10) {
      itemsRead
      truncated
      itemsChanged
      itemsExcluded
      validBefore
      validAfter
      becameValid
      becameInvalid
      elapsedMs
      problems {
        code
        field
        message
      }
      rules {
        ruleId
        ruleName
        itemsChanged
        itemsExcluded
      }
      sample {
        row
        itemId
        validBefore
        validAfter
        excludedBy {
          ruleId
          ruleName
        }
        changes {
          ruleId
          ruleName
          attribute
          before
          after
        }
        errorsAfter {
          code
          attribute
          message
        }
      }
    }
  }
`);

const SaveRules = graphql(`
  mutation ConsoleSetFeedRules($input: SetFeedRulesInput!) {
    setFeedRules(input: $input) {
      feedRules {
        version
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const OPERATORS: FeedRuleOperator[] = [
  'EQUALS',
  'NOT_EQUALS',
  'CONTAINS',
  'STARTS_WITH',
  'ENDS_WITH',
  'MATCHES',
  'IS_EMPTY',
  'IS_NOT_EMPTY',
  'LESS_THAN',
  'LESS_OR_EQUAL',
  'GREATER_THAN',
  'GREATER_OR_EQUAL',
];
const ACTIONS: FeedRuleActionType[] = [
  'SET',
  'APPEND',
  'PREPEND',
  'REPLACE',
  'LOWERCASE',
  'UPPERCASE',
  'TITLECASE',
  'TRUNCATE',
  'SET_CUSTOM_LABEL',
  'MAP',
  'EXCLUDE',
];
const ATTRIBUTES = [
  'id',
  'title',
  'description',
  'link',
  'image_link',
  'price',
  'sale_price',
  'brand',
  'gtin',
  'mpn',
  'condition',
  'availability',
  'google_product_category',
  'product_type',
  'color',
  'size',
  'gender',
  'age_group',
  'item_group_id',
  'custom_label_0',
  'custom_label_1',
  'custom_label_2',
  'custom_label_3',
  'custom_label_4',
];
const words = (code: string) => code.replace(/_/g, ' ').toLowerCase();

/** A stored value (nulls for absent fields, nested) as the input the mutation takes: nulls dropped. */
function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutNulls) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, v]) => v !== null && v !== undefined && key !== '__typename')
        .map(([key, v]) => [key, withoutNulls(v)]),
    ) as T;
  }
  return value;
}

/** The engine's code of a problem: a preview problem has it as `code`; a userError starts its message with it. */
function engineCode(code: string, message: string): string {
  const prefix = /^([A-Z_]+):/.exec(message)?.[1];
  return code === 'BAD_USER_INPUT' && prefix ? prefix : code;
}

function ruleHint(code: string): string {
  return code === 'CONFLICT' ? 'Fields that cannot go together (a value and a template, …): keep one.' : hintFor(code);
}

interface Problem {
  code: string;
  message: string;
  field: readonly string[] | null;
}

function Problems({ problems, title }: { problems: readonly Problem[]; title: string }) {
  if (problems.length === 0) return null;
  return (
    <div className="error" role="alert">
      <p>
        <strong>{title}</strong>
      </p>
      <ul className="plain">
        {problems.map((p, i) => {
          const code = engineCode(p.code, p.message);
          return (
            <li key={i}>
              {p.message}{' '}
              <span className="muted">
                <code>{code}</code>
                {p.field?.length ? (
                  <>
                    {' '}
                    on <code>{p.field.join('.')}</code>
                  </>
                ) : null}
                {' · '}
                {ruleHint(code)}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** A condition the structured form can show: none, or one comparison with one value. */
const simpleCondition = (when: FeedRuleConditionInput | null | undefined) =>
  !when || (!when.all && !when.any && !when.values);

function blankRule(n: number): FeedRuleInput {
  return {
    ruleId: `rule-${n}`,
    name: `Rule ${n}`,
    enabled: true,
    when: { attribute: 'title', operator: 'CONTAINS', value: '' },
    actions: [{ type: 'SET', attribute: 'custom_label_0', value: '' }],
  };
}

export function FeedRules({ id }: { id: string }) {
  const apiKey = useApiKey();
  const feed = useQuery(FeedRulesQuery, { id }, apiKey);
  const [rules, setRules] = useState<FeedRuleInput[] | null>(null);
  const [preview, setPreview] = useState<FeedRulesPreview | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const [saveProblems, setSaveProblems] = useState<Problem[]>([]);
  const current = feed.data?.feed.feedRules;

  // The editor starts from the current version (or empty).
  useEffect(() => {
    if (feed.data && rules === null) setRules(withoutNulls(current?.rules ?? []) as FeedRuleInput[]);
  }, [feed.data, current, rules]);

  const runPreview = useAction(async () => {
    setPreview(null);
    const { previewFeedRules } = await request(PreviewRules, { feedId: id, rules: rules ?? [] }, apiKey);
    setPreview(previewFeedRules);
  });
  const save = useAction(async () => {
    setSaved(null);
    setSaveProblems([]);
    const { setFeedRules } = await request(SaveRules, { input: { feedId: id, rules: rules ?? [] } }, apiKey);
    if (setFeedRules.userErrors.length) {
      setSaveProblems(setFeedRules.userErrors);
      return;
    }
    setSaved(setFeedRules.feedRules?.version ?? null);
    feed.reload();
  });

  if (feed.error && !feed.data) return <ErrorMessage error={feed.error} />;
  if (!feed.data || rules === null) return <Loading what="Loading the rules" />;
  const f = feed.data.feed;
  const change = (next: FeedRuleInput[]) => {
    setRules(next);
    setSaved(null);
  };

  return (
    <>
      <p>
        <Link href={`/brand/feeds/${encodeURIComponent(id)}`}>← {f.name}</Link>
      </p>
      <h1>Rules of {f.name}</h1>
      <p className="muted">
        Rules run in order on every item of the feed's next runs: when a rule's condition holds, its actions change the
        item (or exclude it).{' '}
        {current ? `Current: version ${current.version}, ${formatDate(current.createdAt)}.` : 'No rules yet.'}
      </p>
      <datalist id="feed-rule-attributes">
        {ATTRIBUTES.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>

      <section aria-labelledby="rules-title">
        <h2 id="rules-title">Rules ({rules.length})</h2>
        {rules.length === 0 ? <p className="muted">No rule: items are read as they are.</p> : null}
        <ol className="rules">
          {rules.map((rule, index) => (
            <li key={index}>
              <RuleForm
                rule={rule}
                index={index}
                count={rules.length}
                onChange={(next) => change(rules.map((r, i) => (i === index ? next : r)))}
                onMove={(to) => {
                  const next = [...rules];
                  next.splice(to, 0, ...next.splice(index, 1));
                  change(next);
                }}
                onRemove={() => change(rules.filter((_, i) => i !== index))}
              />
            </li>
          ))}
        </ol>
        <button type="button" onClick={() => change([...rules, blankRule(rules.length + 1)])}>
          Add a rule
        </button>
        <JsonEditor rules={rules} onApply={change} />
      </section>

      <section aria-labelledby="check-title" className="card">
        <h2 id="check-title">Try and save</h2>
        <div className="actions">
          <button type="button" onClick={() => void runPreview.run()} disabled={runPreview.pending}>
            {runPreview.pending ? 'Previewing…' : 'Preview'}
          </button>
          <button type="button" className="primary" onClick={() => void save.run()} disabled={save.pending}>
            Save as a new version
          </button>
        </div>
        <ErrorMessage error={runPreview.error ?? save.error} />
        <Problems problems={saveProblems} title="Nothing was saved: the rules have problems." />
        {saved !== null ? (
          <p className="success" role="status">
            Saved as version {saved}: the feed's next run applies it.
          </p>
        ) : null}
        {preview ? <PreviewResult preview={preview} /> : null}
      </section>

      {current ? <VersionHistory feedId={id} latest={current.version} onLoad={(loaded) => change(loaded)} /> : null}
    </>
  );
}

function RuleForm({
  rule,
  index,
  count,
  onChange,
  onMove,
  onRemove,
}: {
  rule: FeedRuleInput;
  index: number;
  count: number;
  onChange(rule: FeedRuleInput): void;
  onMove(to: number): void;
  onRemove(): void;
}) {
  const n = index + 1;
  const when = rule.when ?? null;
  const setWhen = (patch: Partial<FeedRuleConditionInput> | null) =>
    onChange({ ...rule, when: patch === null ? undefined : { ...(when ?? {}), ...patch } });
  const setAction = (i: number, action: FeedRuleActionInput) =>
    onChange({ ...rule, actions: rule.actions.map((a, j) => (j === i ? action : a)) });
  return (
    <fieldset className="rule">
      <legend>
        Rule {n}: {rule.name || rule.ruleId}
      </legend>
      <div className="grid-2">
        <Field
          label="Rule id"
          value={rule.ruleId}
          required
          onChange={(e) => onChange({ ...rule, ruleId: e.target.value })}
        />
        <Field label="Name" value={rule.name} required onChange={(e) => onChange({ ...rule, name: e.target.value })} />
      </div>
      <div className="field-inline">
        <input
          id={`rule-${n}-enabled`}
          type="checkbox"
          checked={rule.enabled !== false}
          onChange={(e) => onChange({ ...rule, enabled: e.target.checked })}
        />
        <label htmlFor={`rule-${n}-enabled`}>Enabled</label>
      </div>
      <h3>When</h3>
      {simpleCondition(when) ? (
        <div className="grid-3">
          <Select
            label="Condition operator"
            value={when?.operator ?? 'ALWAYS'}
            onChange={(e) =>
              setWhen(
                e.target.value === 'ALWAYS'
                  ? null
                  : { operator: e.target.value as FeedRuleOperator, attribute: when?.attribute ?? 'title' },
              )
            }
            options={[['ALWAYS', 'always (no condition)'], ...OPERATORS.map((o) => [o, words(o)] as const)]}
          />
          {when ? (
            <>
              <Field
                label="Condition attribute"
                list="feed-rule-attributes"
                value={when.attribute ?? ''}
                onChange={(e) => setWhen({ attribute: e.target.value })}
              />
              {when.operator === 'IS_EMPTY' || when.operator === 'IS_NOT_EMPTY' ? null : (
                <Field
                  label="Condition value"
                  value={when.value ?? ''}
                  onChange={(e) => setWhen({ value: e.target.value })}
                />
              )}
            </>
          ) : null}
        </div>
      ) : (
        <p className="muted">
          A group or a list of values: <code>{JSON.stringify(when)}</code>. Edit it in the JSON editor below.
        </p>
      )}
      <h3>Then</h3>
      {rule.actions.map((action, i) => (
        <ActionForm
          key={i}
          n={i + 1}
          action={action}
          onChange={(next) => setAction(i, next)}
          onRemove={
            rule.actions.length > 1
              ? () => onChange({ ...rule, actions: rule.actions.filter((_, j) => j !== i) })
              : undefined
          }
        />
      ))}
      <div className="actions">
        <button
          type="button"
          onClick={() => onChange({ ...rule, actions: [...rule.actions, { type: 'SET', attribute: '', value: '' }] })}
        >
          Add an action<span className="visually-hidden"> to rule {n}</span>
        </button>
        <button type="button" onClick={() => onMove(index - 1)} disabled={index === 0}>
          Move up<span className="visually-hidden"> rule {n}</span>
        </button>
        <button type="button" onClick={() => onMove(index + 1)} disabled={index === count - 1}>
          Move down<span className="visually-hidden"> rule {n}</span>
        </button>
        <button type="button" onClick={onRemove}>
          Remove rule {n}
        </button>
      </div>
    </fieldset>
  );
}

function ActionForm({
  n,
  action,
  onChange,
  onRemove,
}: {
  n: number;
  action: FeedRuleActionInput;
  onChange(action: FeedRuleActionInput): void;
  onRemove?: () => void;
}) {
  const set = (patch: Partial<FeedRuleActionInput>) => onChange({ ...action, ...patch });
  const t = action.type;
  const number = (text: string) => (text.trim() === '' ? undefined : Number(text));
  return (
    <div className="action-row">
      <div className="grid-3">
        <Select
          label={`Action ${n} type`}
          value={t}
          onChange={(e) => {
            const type = e.target.value as FeedRuleActionType;
            // Keep the attribute; drop what the new type does not take.
            onChange(
              type === 'EXCLUDE'
                ? { type }
                : type === 'SET_CUSTOM_LABEL'
                  ? { type, index: 0, value: action.value ?? '' }
                  : { type, attribute: action.attribute ?? '' },
            );
          }}
          options={ACTIONS.map((a) => [a, words(a)] as const)}
        />
        {t !== 'EXCLUDE' && t !== 'SET_CUSTOM_LABEL' ? (
          <Field
            label={`Action ${n} attribute`}
            list="feed-rule-attributes"
            value={action.attribute ?? ''}
            onChange={(e) => set({ attribute: e.target.value })}
          />
        ) : null}
        {t === 'SET_CUSTOM_LABEL' ? (
          <Field
            label={`Action ${n} label index (0 to 4)`}
            type="number"
            min={0}
            max={4}
            value={action.index ?? ''}
            onChange={(e) => set({ index: number(e.target.value) })}
          />
        ) : null}
        {(t === 'SET' || t === 'SET_CUSTOM_LABEL') && action.template != null ? (
          <Field
            label={`Action ${n} template`}
            value={action.template}
            onChange={(e) => set({ template: e.target.value })}
          />
        ) : null}
        {['SET', 'APPEND', 'PREPEND', 'SET_CUSTOM_LABEL'].includes(t) && action.template == null ? (
          <Field
            label={`Action ${n} value`}
            value={action.value ?? ''}
            onChange={(e) => set({ value: e.target.value })}
          />
        ) : null}
        {t === 'TRUNCATE' ? (
          <Field
            label={`Action ${n} max length`}
            type="number"
            min={1}
            value={action.maxLength ?? ''}
            onChange={(e) => set({ maxLength: number(e.target.value) })}
          />
        ) : null}
        {t === 'REPLACE' ? (
          <>
            <Field
              label={`Action ${n} pattern (regular expression)`}
              value={action.pattern ?? ''}
              onChange={(e) => set({ pattern: e.target.value })}
            />
            <Field
              label={`Action ${n} replacement`}
              value={action.replacement ?? ''}
              onChange={(e) => set({ replacement: e.target.value })}
            />
          </>
        ) : null}
      </div>
      {t === 'MAP' ? (
        <p className="muted small">
          A lookup table ({action.table?.length ?? 0} entries
          {action.targetAttribute ? `, into ${action.targetAttribute}` : ''}): edit it in the JSON editor below.
        </p>
      ) : null}
      {onRemove ? (
        <button type="button" onClick={onRemove}>
          Remove action {n}
        </button>
      ) : null}
    </div>
  );
}

/** Every rule as JSON, for what the form does not cover (groups, lists of values, templates, MAP tables). */
function JsonEditor({ rules, onApply }: { rules: FeedRuleInput[]; onApply(rules: FeedRuleInput[]): void }) {
  const id = useId();
  const [text, setText] = useState(() => JSON.stringify(rules, null, 2));
  const [error, setError] = useState<ApiError | undefined>();
  const shown = JSON.stringify(rules, null, 2);
  // The form changed the rules: the text follows.
  useEffect(() => setText(shown), [shown]);
  const apply = () => {
    try {
      const parsed: unknown = JSON.parse(text);
      if (!Array.isArray(parsed)) throw new Error('The JSON must be a list of rules: [ { "ruleId": … }, … ]');
      setError(undefined);
      onApply(parsed as FeedRuleInput[]);
    } catch (caught) {
      setError(new ApiError('INVALID_JSON', (caught as Error).message));
    }
  };
  return (
    <details className="card json-editor">
      <summary>Edit all rules as JSON</summary>
      <div className="field">
        <label htmlFor={id}>Rules (JSON, as setFeedRules takes them)</label>
        <textarea
          id={id}
          rows={14}
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-describedby={`${id}-help`}
        />
        <small id={`${id}-help`} className="muted">
          Groups: <code>{'"when": { "any": [ {…}, {…} ] }'}</code>; lists: <code>{'"values": ["a", "b"]'}</code>; MAP:{' '}
          <code>{'"table": [ { "from": "…", "to": "…" } ]'}</code>.
        </small>
      </div>
      {error ? (
        <div className="error" role="alert">
          <p>
            <strong>{error.message}</strong>
          </p>
          <p className="muted">Correct the JSON (a missing comma or quote?) and use it again.</p>
        </div>
      ) : null}
      <button type="button" onClick={apply}>
        Use this JSON
      </button>
    </details>
  );
}

function PreviewResult({ preview }: { preview: FeedRulesPreview }) {
  if (preview.problems.length) {
    return <Problems problems={preview.problems} title="The rules have problems: nothing was read." />;
  }
  return (
    <div aria-live="polite">
      <h3>Preview</h3>
      <p>
        Over the first {preview.itemsRead} items of the latest source{preview.truncated ? ' (the source has more)' : ''}
        , nothing changed or stored ({preview.elapsedMs} ms):
      </p>
      <ul className="diff" aria-label="What the rules would do">
        <li>
          <strong>{preview.itemsChanged}</strong> changed
        </li>
        <li>
          <strong>{preview.itemsExcluded}</strong> excluded
        </li>
        <li>
          <strong>{preview.becameValid}</strong> become valid
        </li>
        <li>
          <strong>{preview.becameInvalid}</strong> become invalid
        </li>
        <li>
          {preview.validBefore} → {preview.validAfter} accepted
        </li>
      </ul>
      <div className="table-wrap" tabIndex={0}>
        <table>
          <caption>Per rule</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Items changed</th>
              <th scope="col">Items excluded</th>
            </tr>
          </thead>
          <tbody>
            {preview.rules.map((r) => (
              <tr key={r.ruleId}>
                <th scope="row">
                  {r.ruleName} <span className="muted small">({r.ruleId})</span>
                </th>
                <td>{r.itemsChanged}</td>
                <td>{r.itemsExcluded}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {preview.sample.length ? (
        <div className="table-wrap" tabIndex={0}>
          <table className="sample">
            <caption>Sample: before and after</caption>
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Attribute</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
                <th scope="col">Rule</th>
                <th scope="col">Valid</th>
              </tr>
            </thead>
            <tbody>
              {preview.sample.flatMap((item) => {
                const valid = `${item.validBefore ? 'yes' : 'no'} → ${item.validAfter ? 'yes' : 'no'}`;
                const errors = item.errorsAfter.map((e) => `${e.code}${e.attribute ? ` (${e.attribute})` : ''}`);
                const label = `${item.row}${item.itemId ? ` · ${item.itemId}` : ''}`;
                const rows = item.changes.map((c, i) => (
                  <tr key={`${item.row}-${i}`}>
                    <td>{i === 0 ? label : ''}</td>
                    <td>{c.attribute}</td>
                    <td className="break">{c.before ?? <span className="muted">absent</span>}</td>
                    <td className="break">{c.after ?? <span className="muted">removed</span>}</td>
                    <td>{c.ruleName}</td>
                    <td>
                      {i === 0 ? valid : ''}
                      {i === 0 && errors.length ? <div className="small danger">{errors.join(', ')}</div> : null}
                    </td>
                  </tr>
                ));
                if (item.excludedBy) {
                  rows.push(
                    <tr key={`${item.row}-excluded`}>
                      <td>{rows.length ? '' : label}</td>
                      <td>excluded</td>
                      <td>kept</td>
                      <td>left out</td>
                      <td>{item.excludedBy.ruleName}</td>
                      <td>{rows.length ? '' : valid}</td>
                    </tr>,
                  );
                }
                return rows;
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">No item of the preview is touched by these rules.</p>
      )}
    </div>
  );
}

function VersionHistory({
  feedId,
  latest,
  onLoad,
}: {
  feedId: string;
  latest: number;
  onLoad(rules: FeedRuleInput[]): void;
}) {
  const apiKey = useApiKey();
  const [shown, setShown] = useState<number | null>(null);
  const version = useQuery(FeedRulesVersion, { id: feedId, version: shown ?? latest }, apiKey, {
    skip: shown === null,
  });
  const numbers = Array.from({ length: Math.min(latest, 50) }, (_, i) => latest - i);
  const set = shown !== null ? version.data?.feed.feedRules : undefined;
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">Version history</h2>
      <ul className="versions">
        {numbers.map((n) => (
          <li key={n}>
            <button type="button" aria-pressed={shown === n} onClick={() => setShown(shown === n ? null : n)}>
              Version {n}
              {n === latest ? ' (current)' : ''}
            </button>
          </li>
        ))}
      </ul>
      <ErrorMessage error={version.error} />
      {shown !== null && version.loading ? <Loading what={`Loading version ${shown}`} /> : null}
      {set && set.version === shown ? (
        <div className="card">
          <h3>
            Version {set.version}, {formatDate(set.createdAt)}
            {set.restoredFromVersion != null ? ` (restored from version ${set.restoredFromVersion})` : ''}
          </h3>
          <ol className="plain">
            {set.rules.map((r) => (
              <li key={r.ruleId}>
                <strong>{r.name}</strong> <span className="muted small">({r.ruleId})</span>
                {r.enabled ? '' : ' · disabled'}: {r.actions.map((a) => words(a.type)).join(', ')}
              </li>
            ))}
          </ol>
          {set.rules.length === 0 ? <p className="muted">No rules in this version.</p> : null}
          <button type="button" onClick={() => onLoad(withoutNulls(set.rules) as FeedRuleInput[])}>
            Load version {set.version} into the editor
          </button>
        </div>
      ) : null}
    </section>
  );
}
