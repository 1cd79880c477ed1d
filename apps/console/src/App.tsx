import { useEffect, useRef, type ReactNode } from 'react';
import { setUnauthenticatedHandler } from './client';
import { Link, match, navigate, useLocation } from './router';
import { useSession } from './session';
import { SignIn } from './SignIn';
import { Campaign } from './brand/Campaign';
import { Campaigns } from './brand/Campaigns';
import { Commission } from './brand/Commission';
import { ExportChecks, Exports } from './brand/Exports';
import { Feed } from './brand/Feed';
import { FeedRules } from './brand/FeedRules';
import { Feeds } from './brand/Feeds';
import { ProductSets } from './brand/ProductSets';
import { Run } from './brand/Run';
import { Shopify } from './brand/Shopify';
import { Earnings, ShareLinks, Showcase } from './creator/Mine';
import { Product } from './creator/Product';
import { Search } from './creator/Search';

interface Page {
  path: string;
  title: string;
  render(params: Record<string, string>): ReactNode;
  /** In the navigation bar (pages reached from a list are not). */
  nav?: string;
}

/** The console's pages: a page is an entry here, with a `nav` label when it is in the bar (README: Console). */
const BRAND_PAGES: Page[] = [
  { path: '/brand/feeds', title: 'Feeds', nav: 'Feeds', render: () => <Feeds /> },
  { path: '/brand/feeds/:id', title: 'Feed', render: ({ id }) => <Feed id={id} /> },
  { path: '/brand/feeds/:id/rules', title: 'Feed rules', render: ({ id }) => <FeedRules key={id} id={id} /> },
  { path: '/brand/runs/:id', title: 'Run', render: ({ id }) => <Run id={id} /> },
  { path: '/brand/shopify', title: 'Shopify', nav: 'Shopify', render: () => <Shopify /> },
  { path: '/brand/product-sets', title: 'Product sets', nav: 'Product sets', render: () => <ProductSets /> },
  { path: '/brand/campaigns', title: 'Campaigns', nav: 'Campaigns', render: () => <Campaigns /> },
  { path: '/brand/campaigns/:id', title: 'Campaign', render: ({ id }) => <Campaign key={id} id={id} /> },
  { path: '/brand/exports', title: 'Channel exports', nav: 'Exports', render: () => <Exports /> },
  { path: '/brand/exports/:id', title: 'Channel export', render: ({ id }) => <ExportChecks key={id} id={id} /> },
  { path: '/brand/commission', title: 'Commission', nav: 'Commission', render: () => <Commission /> },
];

const CREATOR_PAGES: Page[] = [
  { path: '/creator/search', title: 'Search', nav: 'Search', render: () => <Search /> },
  { path: '/creator/products/:id', title: 'Product', render: ({ id }) => <Product id={id} /> },
  { path: '/creator/showcase', title: 'Showcase', nav: 'Showcase', render: () => <Showcase /> },
  { path: '/creator/links', title: 'Share links', nav: 'Share links', render: () => <ShareLinks /> },
  { path: '/creator/earnings', title: 'Earnings', nav: 'Earnings', render: () => <Earnings /> },
];

export function App() {
  const { session, signOut } = useSession();
  const { path } = useLocation();
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      signOut();
      navigate('/signin?expired=1', true);
    });
  }, [signOut]);

  const pages = session?.kind === 'brand' ? BRAND_PAGES : session?.kind === 'creator' ? CREATOR_PAGES : [];
  let content: ReactNode = null;
  let title = 'Sign in';
  for (const page of pages) {
    const params = match(page.path, path);
    if (params) {
      content = page.render(params);
      title = page.title;
      break;
    }
  }
  const home = session?.kind === 'brand' ? '/brand/feeds' : '/creator/search';
  useEffect(() => {
    // Signed out, every path is the sign-in page; signed in, / and /signin go to the account's home.
    if (!session && path !== '/signin' && path !== '/') navigate('/signin', true);
    else if (session && (path === '/' || path === '/signin')) navigate(home, true);
  }, [session, path, home]);
  useEffect(() => {
    document.title = `${title} · Brandshelf`;
    // Focus the new page's content, so keyboard and screen-reader users start there after a navigation.
    main.current?.focus({ preventScroll: true });
  }, [title, path]);

  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="top">
        <Link href={session ? home : '/'} className="logo">
          Brandshelf
        </Link>
        {session ? (
          <>
            <nav aria-label="Main">
              <ul>
                {pages
                  .filter((p) => p.nav)
                  .map((p) => (
                    <li key={p.path}>
                      <Link href={p.path} aria-current={path.startsWith(p.path) ? 'page' : undefined}>
                        {p.nav}
                      </Link>
                    </li>
                  ))}
              </ul>
            </nav>
            <div className="account">
              <span className="muted small">
                {session.kind === 'brand' ? 'Brand' : 'Creator'}: {session.name}
              </span>
              <button
                type="button"
                onClick={() => {
                  signOut();
                  navigate('/signin');
                }}
              >
                Sign out
              </button>
            </div>
          </>
        ) : null}
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {session ? (content ?? <NotFound home={home} />) : <SignIn />}
      </main>
    </>
  );
}

function NotFound({ home }: { home: string }) {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        <Link href={home}>Back to the start</Link>
      </p>
    </>
  );
}
