import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type Router } from 'express';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

// pnpm keeps packages under node_modules/.pnpm: `dotfiles: 'allow'` lets send() serve from there.
/** The files GraphiQL needs, served from our own dependencies: the explorer works offline. */
const ASSETS: Record<string, string> = {
  'react.js': join(packageDir('react'), 'umd/react.production.min.js'),
  'react-dom.js': join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
  'graphiql.js': join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.css': join(packageDir('graphiql'), 'graphiql.min.css'),
};

export const EXPLORER_ASSET_PATH = '/explorer-assets';

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>User import federation · GraphQL explorer</title>
  <link rel="stylesheet" href="${EXPLORER_ASSET_PATH}/graphiql.css" />
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading the explorer…</div>
  <script src="${EXPLORER_ASSET_PATH}/react.js"></script>
  <script src="${EXPLORER_ASSET_PATH}/react-dom.js"></script>
  <script src="${EXPLORER_ASSET_PATH}/graphiql.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
    const headers = JSON.stringify({ 'x-api-key': 'YOUR_API_KEY', 'x-org-id': 'YOUR_ORG_ID' }, null, 2);
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, { fetcher, defaultHeaders: headers, shouldPersistHeaders: true, isHeadersEditorEnabled: true }),
    );
  </script>
</body>
</html>`;

export function explorerAssets(): Router {
  const router = express.Router();
  for (const [name, file] of Object.entries(ASSETS)) {
    router.get(`/${name}`, (_req, res) => res.sendFile(file, { maxAge: '1d', dotfiles: 'allow' }));
  }
  return router;
}

export function explorerPage(): string {
  return PAGE;
}
