import { useState, type FormEvent } from 'react';
import { payload, request } from './client';
import { graphql } from './gql';
import { navigate } from './router';
import { useSession, type Session } from './session';
import { CopyButton, ErrorMessage, Field, useAction } from './ui';

const RegisterBrand = graphql(`
  mutation ConsoleRegisterBrand($input: RegisterBrandInput!) {
    registerBrand(input: $input) {
      apiKey
      brand {
        id
        name
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const RegisterCreator = graphql(`
  mutation ConsoleRegisterCreator($input: RegisterCreatorInput!) {
    registerCreator(input: $input) {
      apiKey
      creator {
        id
        handle
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const Me = graphql(`
  query ConsoleMe {
    me {
      __typename
      ... on BrandPrincipal {
        brand {
          name
        }
      }
      ... on CreatorPrincipal {
        creator {
          handle
        }
      }
    }
  }
`);

export async function whoIs(apiKey: string): Promise<Pick<Session, 'kind' | 'name'>> {
  const { me } = await request(Me, {}, apiKey);
  return me.__typename === 'BrandPrincipal'
    ? { kind: 'brand', name: me.brand.name }
    : { kind: 'creator', name: me.creator.handle };
}

const home = (kind: Session['kind']) => (kind === 'brand' ? '/brand/feeds' : '/creator/search');

export function SignIn() {
  const { signIn } = useSession();
  const [mode, setMode] = useState<'brand' | 'creator' | 'key'>('brand');
  const [remember, setRemember] = useState(false);
  const [issued, setIssued] = useState<Session | null>(null);
  const [saved, setSaved] = useState(false);

  const register = useAction(async (form: FormData) => {
    const email = String(form.get('email'));
    if (mode === 'brand') {
      const { registerBrand } = await request(RegisterBrand, { input: { name: String(form.get('name')), email } });
      const done = payload(registerBrand);
      setIssued({ apiKey: done.apiKey!, kind: 'brand', name: done.brand!.name, remember });
    } else {
      const { registerCreator } = await request(RegisterCreator, {
        input: { handle: String(form.get('handle')), email },
      });
      const done = payload(registerCreator);
      setIssued({ apiKey: done.apiKey!, kind: 'creator', name: done.creator!.handle, remember });
    }
  });
  const useKey = useAction(async (apiKey: string) => {
    const who = await whoIs(apiKey);
    signIn({ apiKey, remember, ...who });
    navigate(home(who.kind));
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (mode === 'key') void useKey.run(String(form.get('apiKey')).trim());
    else void register.run(form);
  };

  if (issued) {
    return (
      <section aria-labelledby="key-title" className="card narrow">
        <h1 id="key-title">Your API key</h1>
        <div className="warning" role="note">
          <strong>Copy this key now and keep it somewhere safe.</strong> It is shown this once: Brandshelf stores only
          its hash, and nobody can show it to you again. Anyone holding it acts as{' '}
          {issued.kind === 'brand' ? 'your brand' : 'you'}.
        </div>
        <div className="key-row">
          <label htmlFor="issued-key">API key</label>
          <input id="issued-key" readOnly value={issued.apiKey} onFocus={(e) => e.currentTarget.select()} />
          <CopyButton text={issued.apiKey} label="Copy key" />
        </div>
        <div className="field-inline">
          <input id="saved" type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} />
          <label htmlFor="saved">I have saved my key</label>
        </div>
        <button
          type="button"
          className="primary"
          disabled={!saved}
          onClick={() => {
            signIn(issued);
            navigate(home(issued.kind));
          }}
        >
          Continue to the console
        </button>
      </section>
    );
  }

  const error = mode === 'key' ? useKey.error : register.error;
  const pending = register.pending || useKey.pending;
  return (
    <section aria-labelledby="signin-title" className="card narrow">
      <h1 id="signin-title">Brandshelf console</h1>
      <p className="muted">
        Brands publish their catalogs here; creators find products, share links and follow their earnings.
      </p>
      <fieldset className="segmented">
        <legend>What do you want to do?</legend>
        {(
          [
            ['brand', 'Sign up as a brand'],
            ['creator', 'Sign up as a creator'],
            ['key', 'Sign in with an API key'],
          ] as const
        ).map(([value, text]) => (
          <label key={value}>
            <input type="radio" name="mode" value={value} checked={mode === value} onChange={() => setMode(value)} />
            {text}
          </label>
        ))}
      </fieldset>
      <form onSubmit={submit} key={mode}>
        {mode === 'brand' ? (
          <Field
            label="Brand name"
            name="name"
            required
            maxLength={120}
            autoComplete="organization"
            help="As creators will see it: up to 120 characters."
          />
        ) : null}
        {mode === 'creator' ? (
          <Field
            label="Handle"
            name="handle"
            required
            maxLength={30}
            help="Your public name in share links: 2 to 30 letters, digits, dots (.) or underscores (_)."
          />
        ) : null}
        {mode !== 'key' ? <Field label="Email" name="email" type="email" required autoComplete="email" /> : null}
        {mode === 'key' ? (
          <Field
            label="API key"
            name="apiKey"
            type="password"
            required
            autoComplete="off"
            spellCheck={false}
            placeholder="bsk_…"
          />
        ) : null}
        <div className="field-inline">
          <input id="remember" type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
          <label htmlFor="remember">Remember me in this browser tab</label>
        </div>
        <p className="muted small">
          Unticked, the key is kept in memory only and a reload signs you out. Ticked, it is kept in this tab's session
          storage until the tab closes.
        </p>
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={pending}>
          {mode === 'key' ? 'Sign in' : 'Create account'}
        </button>
      </form>
    </section>
  );
}
