import fs from "node:fs";
import path from "node:path";
import type { NextFunction, Request, Response, Router } from "express";
import express from "express";

/**
 * The query the playground opens with: who said what, and which offices they hold. It lists the
 * people who are quoted, so every entry shows data (a list of countries opened on Egypt and
 * France, with nobody in them).
 */
export const EXAMPLE_QUERY = `# Welcome to the news knowledge base. Press the run button (or Ctrl-Enter).
# Open "Docs" on the left for every type, field and argument.
query WhoSaidWhat {
  people(first: 5, filter: { quotes: { some: {} } }) {
    totalCount
    nodes {
      name
      description
      country { name }
      positions(first: 3) {
        nodes {
          title
          organization { name }
        }
      }
      quotes(first: 3) {
        nodes {
          kind
          text
          evidence { startOffset endOffset }
        }
      }
    }
  }
}
`;

/** The browser files GraphiQL needs, served from node_modules so the page works offline. */
const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  "graphiql.min.css": { pkg: "graphiql", file: "graphiql.min.css", type: "text/css" },
  "graphiql.min.js": { pkg: "graphiql", file: "graphiql.min.js", type: "application/javascript" },
  "react.production.min.js": { pkg: "react", file: "umd/react.production.min.js", type: "application/javascript" },
  "react-dom.production.min.js": {
    pkg: "react-dom",
    file: "umd/react-dom.production.min.js",
    type: "application/javascript",
  },
};

function packageDir(pkg: string): string {
  return path.dirname(require.resolve(`${pkg}/package.json`));
}

/** Serves GraphiQL's scripts and styles under `prefix`, with long-lived caching. */
export function playgroundAssets(): Router {
  const router = express.Router();
  router.get("/:file", (req: Request, res: Response, next: NextFunction) => {
    // An own property only: `ASSETS["constructor"]` would be Object's constructor, not a miss.
    const file = String(req.params.file);
    const asset = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!asset) {
      // The app's own 404 answers, in the same coded JSON as every other error.
      next();
      return;
    }
    res.type(asset.type);
    res.setHeader("Cache-Control", "public, max-age=86400");
    fs.createReadStream(path.join(packageDir(asset.pkg), asset.file)).pipe(res);
  });
  return router;
}

/** The GraphiQL page, pointing at the assets served by `playgroundAssets`. */
export function playgroundHtml(assetPrefix: string, endpoint: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>News knowledge base · GraphiQL</title>
<link rel="icon" href="data:," />
<link rel="stylesheet" href="${assetPrefix}/graphiql.min.css" />
<style>html, body { margin: 0; height: 100%; } #graphiql { height: 100vh; }</style>
</head>
<body>
<div id="graphiql">Loading the GraphQL playground…</div>
<script src="${assetPrefix}/react.production.min.js"></script>
<script src="${assetPrefix}/react-dom.production.min.js"></script>
<script src="${assetPrefix}/graphiql.min.js"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(endpoint)} });
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultQuery: ${JSON.stringify(EXAMPLE_QUERY).replace(/</g, "\\u003c")},
      defaultEditorToolsVisibility: true,
      shouldPersistHeaders: false,
    }),
  );
</script>
</body>
</html>
`;
}
