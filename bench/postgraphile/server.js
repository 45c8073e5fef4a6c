/**
 * PostGraphile 4 serving one PostgreSQL database, for the side-by-side benchmark of issue 17
 * (bench/postgraphile.ts, docs/postgres.md "PostGraphile, side by side").
 *
 *   node bench/postgraphile/server.js <postgres-url> <port>
 *
 * Plain CommonJS so that it needs no build; it has its own node_modules (`npm ci --prefix
 * bench/postgraphile`) because PostGraphile 4 needs graphql 15 and the server uses graphql 16.
 * POST /graphql answers GraphQL; GET /statements answers {"statements": n}, the SQL statements
 * sent to PostgreSQL so far (every pg Client#query, start-up introspection included), so that
 * the benchmark can count them per request; a line "listening" on stdout says it is ready.
 */
"use strict";
// Linted by the project's ESLint, whose config is for TypeScript modules: declare Node's globals.
/* global require, process, console, setTimeout */
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, run without a build */
const http = require("node:http");
const pg = require("pg");
const { postgraphile } = require("postgraphile");

const [url, port] = process.argv.slice(2);
if (!url || !port) {
  console.error("usage: node bench/postgraphile/server.js <postgres-url> <port>");
  process.exit(2);
}

// Every statement goes through Client#query (pg's Pool included); PostGraphile's pg is this one.
let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(...args) {
  statements += 1;
  return query.apply(this, args);
};

// As many pooled connections as the benchmark's connections, pg's default.
const pool = new pg.Pool({ connectionString: url, max: 10 });

const handler = postgraphile(pool, "public", {
  // Production settings: no file watching, no per-query log line, no GraphiQL, no stack traces.
  watchPg: false,
  disableQueryLog: true,
  graphiql: false,
  showErrorStack: false,
  extendedErrors: [],
  retryOnInitFail: false,
  // Reads only: a smaller schema, and nothing else to compare.
  disableDefaultMutations: true,
  // Lists (`allCountriesList`, `peopleByCountryIdList`) next to connections: a list selects no
  // cursors and builds no connection object, the cheapest shape PostGraphile offers.
  simpleCollections: "both",
  // The options PostGraphile's docs recommend for new projects (`--no-setof-functions-contain-nulls`,
  // `--dynamic-json`, `--no-ignore-rbac` aside): no functions or JSON columns are read here, so
  // they change nothing for Q2 but keep the setup the one a user would deploy.
  setofFunctionsContainNulls: false,
  dynamicJson: true,
  // Only `personByCountryId`-style relation names, not the legacy duplicates.
  legacyRelations: "omit",
  // Every column orderable (the default): Q2 orders by name, id and (articleId, startOffset, id).
  ignoreIndexes: true,
});

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/statements") {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ statements }));
    return;
  }
  handler(req, res);
});
server.listen(Number(port), "127.0.0.1", () => console.log("listening"));

const shutdown = () => {
  server.close();
  pool.end().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
