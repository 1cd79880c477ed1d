import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Request, Response, NextFunction } from 'express';

/**
 * The GraphQL IDE at /graphql: GraphiQL's UMD build and React 18's, served by the app itself from
 * node_modules, so the page works offline and on networks that block CDNs. No build step: the UMD
 * files are what the packages ship.
 */
export const GRAPHIQL_ASSET_PREFIX = '/graphiql';

interface Asset {
  /** Path under GRAPHIQL_ASSET_PREFIX; carries the package version, so a cached copy never outlives an upgrade. */
  path: string;
  file: string;
}

const requireHere = createRequire(import.meta.url);

function packageAsset(pkg: string, file: string): Asset {
  const manifest = requireHere.resolve(`${pkg}/package.json`);
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { path: `/${pkg}@${version}/${file.split('/').pop()}`, file: join(dirname(manifest), file) };
}

let assets: { react: Asset; reactDom: Asset; graphiql: Asset; css: Asset } | undefined;

function ideAssets(): NonNullable<typeof assets> {
  assets ??= {
    react: packageAsset('react', 'umd/react.production.min.js'),
    reactDom: packageAsset('react-dom', 'umd/react-dom.production.min.js'),
    graphiql: packageAsset('graphiql', 'graphiql.min.js'),
    css: packageAsset('graphiql', 'graphiql.min.css'),
  };
  return assets;
}

/** Where the browser keeps the key typed into the page's key field. */
export const IDE_KEY_STORAGE = 'brandshelf.apiKey';

const DEFAULT_QUERY = `# Brandshelf GraphQL API
#
# 1. No API key yet? Run this mutation (the ▶ button)
#    and copy apiKey from the result: it is shown once.
# 2. Paste it into "API key" above. This browser keeps
#    it and sends "Authorization: Bearer <key>" with
#    every request and subscription (a header set in
#    the Headers tab below takes precedence).
# 3. Then ask who you are:
#    { me { ... on BrandPrincipal { brand { name } } } }

mutation RegisterBrand {
  registerBrand(input: { name: "Acme Outdoor", email: "ops@acme.example" }) {
    brand { id }
    apiKey
    userErrors { code message field }
  }
}
`;

/** Keeps a value from closing the inline <script> it is embedded in. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function graphiqlPage(): string {
  const { react, reactDom, graphiql, css } = ideAssets();
  const href = (asset: Asset) => `${GRAPHIQL_ASSET_PREFIX}${asset.path}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Brandshelf GraphQL</title>
<link rel="stylesheet" href="${href(css)}">
<style>
  html, body { height: 100%; margin: 0; }
  body { display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
  #brandshelf-bar { display: flex; gap: 0.5rem; align-items: center; padding: 0.4rem 0.8rem; font-size: 0.85rem; border-bottom: 1px solid #ddd; }
  #brandshelf-bar input { flex: 0 1 34rem; font: inherit; font-family: monospace; padding: 0.2rem 0.4rem; }
  #graphiql { flex: 1; min-height: 0; }
</style>
</head>
<body>
<div id="brandshelf-bar">
  <label for="brandshelf-key">API key</label>
  <input id="brandshelf-key" type="password" placeholder="bsk_…" autocomplete="off" spellcheck="false">
  <span>sent as <code>Authorization: Bearer &lt;key&gt;</code>, kept in this browser only</span>
</div>
<div id="graphiql">Loading GraphiQL…</div>
<script src="${href(react)}"></script>
<script src="${href(reactDom)}"></script>
<script src="${href(graphiql)}"></script>
<script>
(function () {
  var STORAGE = ${scriptJson(IDE_KEY_STORAGE)};
  var input = document.getElementById('brandshelf-key');
  input.value = localStorage.getItem(STORAGE) || '';
  input.addEventListener('input', function () {
    var key = input.value.trim();
    if (key) localStorage.setItem(STORAGE, key); else localStorage.removeItem(STORAGE);
  });
  // The page is served by the endpoint itself, so its own address (behind any proxy prefix) is the endpoint.
  var url = location.href.split(/[?#]/)[0];
  var base = GraphiQL.createFetcher({ url: url, subscriptionUrl: url.replace(/^http/, 'ws') });
  // GraphiQL passes the Headers tab on HTTP and as graphql-ws connectionParams, both of which the API reads.
  function fetcher(params, options) {
    var headers = Object.assign({}, options && options.headers);
    var key = input.value.trim();
    var named = Object.keys(headers).some(function (name) { return name.toLowerCase() === 'authorization'; });
    if (key && !named) headers.Authorization = 'Bearer ' + key;
    return base(params, Object.assign({}, options, { headers: headers }));
  }
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: ${scriptJson(DEFAULT_QUERY)} }),
  );
})();
</script>
</body>
</html>
`;
}

/** Apollo's landing-page hook: GET /graphql from a browser (Accept: text/html) gets the IDE. */
export function graphiqlLandingPage(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      const html = graphiqlPage();
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}

const YEAR_SECONDS = 365 * 24 * 3600;

/** Serves the IDE's files, mounted at GRAPHIQL_ASSET_PREFIX: versioned paths, so cached for a year. */
export function serveGraphiqlAssets(): (req: Request, res: Response, next: NextFunction) => void {
  const byPath = new Map(Object.values(ideAssets()).map((asset) => [asset.path, asset.file]));
  return (req, res, next) => {
    const file = byPath.get(req.path);
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    res.sendFile(file, { maxAge: YEAR_SECONDS * 1000, immutable: true }, (error) => {
      if (error && !res.headersSent) next(error);
    });
  };
}
