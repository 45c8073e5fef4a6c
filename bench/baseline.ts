/**
 * The raw baseline for the benchmark: the same HTTP stack as the server (Express 5 and its JSON
 * body parser on node:http) over the same SQLite file, answering Q1 and Q2 with hand-written
 * better-sqlite3 statements and JSON.stringify. It produces the server's response bytes exactly
 * (the runner checks), so the ratio server/baseline is the price of GraphQL, TypeGraphQL and our
 * query layer. It also answers Q3, ranked afresh in one statement on the main thread with no
 * cache: the plain limit that the server's ranking (in parts, in reader processes) is measured
 * against. The same answers (and Q6, the small node query) are also served on plain `node:http`
 * with no framework at all (`raw`): the limit for a small request, where SQL costs little and
 * the HTTP stack much. Usage: node dist/bench/baseline.js <database> <port> [raw]
 */
import http from "node:http";
import BetterSqlite3 from "better-sqlite3";
import express from "express";

type Row = Record<string, unknown>;

function globalId(type: string, id: number): string {
  return Buffer.from(`${type}:${id}`, "utf8").toString("base64url");
}

/** The baseline over one database file: on Express, on plain node:http, and how to close the file. */
export interface Baseline {
  app: express.Express;
  /** The same answers with no framework: read the body, JSON.parse, statements, JSON.stringify. */
  raw: http.Server;
  close(): void;
}

/** The body of a benchmark request, as both front ends read it. */
interface BenchRequest {
  operationName?: string;
  query?: string;
  variables?: { id?: string; q?: string };
}

export function createBaseline(databasePath: string): Baseline {
  const db = new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true });
  const person = db.prepare(`SELECT id, name, aliases, description, countryId FROM person WHERE id = ?`);
  const country = db.prepare(`SELECT name, alpha2 FROM country WHERE id = ?`);
  const positions = db.prepare(
    `SELECT p.title, p.startDate, p.endDate, o.name AS organizationName, p.organizationId FROM position p
     LEFT JOIN organization o ON o.id = p.organizationId WHERE p.personId = ?
     ORDER BY p.articleId, p.startOffset, p.id LIMIT 20`,
  );
  const latestQuotes = db.prepare(`SELECT id, text, kind FROM quote WHERE speakerId = ? ORDER BY createdAt DESC, id DESC LIMIT 20`);
  const smallPerson = db.prepare(`SELECT id, name, description, countryId FROM person WHERE id = ?`);
  const countryName = db.prepare(`SELECT name FROM country WHERE id = ?`);
  const firstQuotes = db.prepare(`SELECT text FROM quote WHERE speakerId = ? ORDER BY articleId, startOffset, id LIMIT 5`);

  const countries = db.prepare(`SELECT id, name FROM country ORDER BY name, id LIMIT 20`);
  const peopleOf = db.prepare(
    `SELECT x.id, x.name, x.countryId FROM json_each(?) p JOIN person x ON x.id IN
       (SELECT y.id FROM person y WHERE y.countryId = p.value ORDER BY y.name, y.id LIMIT 20)
     ORDER BY p.key, x.name, x.id`,
  );
  // Each parent's first rows through the index, stopping at the page size: the fastest plain SQL
  // we know for "the first n children of each of these parents" on skewed data.
  const positionsOf = db.prepare(
    `SELECT x.personId, x.title, o.name AS organizationName, x.organizationId
     FROM json_each(?) p JOIN position x ON x.id IN
       (SELECT y.id FROM position y WHERE y.personId = p.value ORDER BY y.articleId, y.startOffset, y.id LIMIT 20)
     LEFT JOIN organization o ON o.id = x.organizationId ORDER BY p.key, x.articleId, x.startOffset, x.id`,
  );
  const quotesOf = db.prepare(
    `SELECT q.speakerId, q.text FROM json_each(?) p JOIN quote q ON q.id IN
       (SELECT r.id FROM quote r WHERE r.speakerId = p.value ORDER BY r.articleId, r.startOffset, r.id LIMIT 5)
     ORDER BY p.key, q.articleId, q.startOffset, q.id`,
  );

  // The page of hits first, then snippets for those rows only: a snippet in the ranking
  // statement would be made for every match before the sort.
  const hits = db.prepare(
    `SELECT page.id AS id, page.score AS score, snippet(search_index, -1, char(2), char(3), '…', 16) AS snippet
     FROM (SELECT rowid AS id, bm25(search_index, 10.0, 1.0) AS score FROM search_index WHERE search_index MATCH ?
           ORDER BY score, rowid LIMIT 20) page
     JOIN search_index ON search_index.rowid = page.id WHERE search_index MATCH ? ORDER BY page.score, page.id`,
  );
  const hitNodes: Record<number, { type: string; sql: BetterSqlite3.Statement; field: string }> = {
    1: { type: "Article", sql: db.prepare(`SELECT id, title AS v FROM article WHERE id IN (SELECT value FROM json_each(?))`), field: "title" },
    2: { type: "Organization", sql: db.prepare(`SELECT id, name AS v FROM organization WHERE id IN (SELECT value FROM json_each(?))`), field: "name" },
    3: { type: "Person", sql: db.prepare(`SELECT id, name AS v FROM person WHERE id IN (SELECT value FROM json_each(?))`), field: "name" },
    4: { type: "Quote", sql: db.prepare(`SELECT id, text AS v FROM quote WHERE id IN (SELECT value FROM json_each(?))`), field: "text" },
  };
  const snippetSpecials = new RegExp(`[&<>"'\u0002\u0003]`, "g");
  const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "\u0002": "<mark>", "\u0003": "</mark>" };

  function group(rows: Row[], key: string): Map<number, Row[]> {
    const map = new Map<number, Row[]>();
    for (const row of rows) {
      const list = map.get(row[key] as number);
      if (list) list.push(row);
      else map.set(row[key] as number, [row]);
    }
    return map;
  }

  function q1(id: string): unknown {
    const [type, key] = Buffer.from(id, "base64url").toString("utf8").split(":");
    const p = type === "Person" ? (person.get(Number(key)) as Row | undefined) : undefined;
    if (!p) return { data: { node: null } };
    const c = p.countryId === null ? undefined : (country.get(p.countryId) as Row | undefined);
    return {
      data: {
        node: {
          id: globalId("Person", p.id as number),
          name: p.name,
          aliases: JSON.parse(p.aliases as string),
          description: p.description,
          country: c ? { name: c.name, alpha2: c.alpha2 } : null,
          positions: {
            nodes: (positions.all(p.id) as Row[]).map((r) => ({
              title: r.title,
              startDate: r.startDate,
              endDate: r.endDate,
              organization: r.organizationId === null ? null : { name: r.organizationName },
            })),
          },
          quotes: {
            nodes: (latestQuotes.all(p.id) as Row[]).map((r) => ({ id: globalId("Quote", r.id as number), text: r.text, kind: r.kind })),
          },
        },
      },
    };
  }

  function q6(id: string): unknown {
    const [type, key] = Buffer.from(id, "base64url").toString("utf8").split(":");
    const p = type === "Person" ? (smallPerson.get(Number(key)) as Row | undefined) : undefined;
    if (!p) return { data: { node: null } };
    const c = p.countryId === null ? undefined : (countryName.get(p.countryId) as Row | undefined);
    return {
      data: {
        node: {
          id: globalId("Person", p.id as number),
          name: p.name,
          description: p.description,
          country: c ? { name: c.name } : null,
          quotes: { nodes: (firstQuotes.all(p.id) as Row[]).map((r) => ({ text: r.text })) },
        },
      },
    };
  }

  function q2(): unknown {
    const cs = countries.all() as Row[];
    const people = group(peopleOf.all(JSON.stringify(cs.map((c) => c.id))) as Row[], "countryId");
    const personIds = [...people.values()].flat().map((p) => p.id);
    const positionRows = group(positionsOf.all(JSON.stringify(personIds)) as Row[], "personId");
    const quoteRows = group(quotesOf.all(JSON.stringify(personIds)) as Row[], "speakerId");
    return {
      data: {
        countries: {
          nodes: cs.map((c) => ({
            name: c.name,
            people: {
              nodes: (people.get(c.id as number) ?? []).map((p) => ({
                name: p.name,
                positions: {
                  nodes: (positionRows.get(p.id as number) ?? []).map((r) => ({
                    title: r.title,
                    organization: r.organizationId === null ? null : { name: r.organizationName },
                  })),
                },
                quotes: { nodes: (quoteRows.get(p.id as number) ?? []).map((r) => ({ text: r.text })) },
              })),
            },
          })),
        },
      },
    };
  }

  function q3(query: string): unknown {
    const rows = hits.all(query, query) as Array<{ id: number; score: number; snippet: string }>;
    const idsByCode = new Map<number, number[]>();
    for (const row of rows) idsByCode.set(row.id % 8, [...(idsByCode.get(row.id % 8) ?? []), Math.floor(row.id / 8)]);
    const values = new Map<number, unknown>();
    for (const [code, ids] of idsByCode) {
      for (const r of hitNodes[code].sql.all(JSON.stringify(ids)) as Row[]) values.set((r.id as number) * 8 + code, r.v);
    }
    return {
      data: {
        search: {
          edges: rows.map((row) => {
            const { type, field } = hitNodes[row.id % 8];
            return {
              score: -row.score,
              snippet: row.snippet.replace(snippetSpecials, (c) => escapes[c]),
              node: { __typename: type, id: globalId(type, Math.floor(row.id / 8)), [field]: values.get(row.id) },
            };
          }),
        },
      },
    };
  }

  /** The answer's JSON as the server sends it (with its newline), or undefined for a query it does not know. */
  function answer(body: BenchRequest): string | undefined {
    const name = body.operationName ?? /query\s+(\w+)/.exec(body.query ?? "")?.[1];
    let result: unknown;
    if (name === "Q1") result = q1(String(body.variables?.id ?? ""));
    else if (name === "Q2") result = q2();
    else if (name === "Q3") result = q3(String(body.variables?.q ?? ""));
    else if (name === "Q6") result = q6(String(body.variables?.id ?? ""));
    else return undefined;
    return `${JSON.stringify(result)}\n`;
  }
  const UNKNOWN = JSON.stringify({ errors: [{ message: "the baseline answers Q1, Q2, Q3 and Q6 only" }] });

  const app = express();
  app.disable("x-powered-by");
  app.post("/graphql", express.json({ limit: "1mb" }), (req, res) => {
    const json = answer(req.body as BenchRequest);
    if (json === undefined) {
      res.status(400).json(JSON.parse(UNKNOWN));
      return;
    }
    res.setHeader("content-type", "application/json; charset=utf-8");
    res.end(json);
  });

  // No framework: what a request costs at the least on Node, for the same bytes.
  const raw = http.createServer((req, res) => {
    if (req.method !== "POST" || req.url !== "/graphql") {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      let json: string | undefined;
      try {
        json = answer(JSON.parse(Buffer.concat(chunks).toString("utf8")) as BenchRequest);
      } catch {
        json = undefined;
      }
      const status = json === undefined ? 400 : 200;
      const text = json ?? UNKNOWN;
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) }).end(text);
    });
  });
  return { app, raw, close: () => db.close() };
}

function main(): void {
  const [databasePath, portText, flavour] = process.argv.slice(2);
  const { app, raw } = createBaseline(databasePath);
  const server: http.Server = flavour === "raw" ? raw : http.createServer(app);
  server.listen(Number(portText), "127.0.0.1", () => {
    process.send?.({ ready: true });
  });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}

if (require.main === module) main();
