/**
 * The raw baseline for the benchmark: the same HTTP stack as the server (Express 5 and its JSON
 * body parser on node:http) over the same SQLite file, answering Q1 and Q2 with hand-written
 * better-sqlite3 statements and JSON.stringify. It produces the server's response bytes exactly
 * (the runner checks), so the ratio server/baseline is the price of GraphQL, TypeGraphQL and our
 * query layer. Usage: node dist/src/bench/baseline.js <database> <port>
 */
import BetterSqlite3 from "better-sqlite3";
import express from "express";

type Row = Record<string, unknown>;

function globalId(type: string, id: number): string {
  return Buffer.from(`${type}:${id}`, "utf8").toString("base64url");
}

function main(): void {
  const [databasePath, portText] = process.argv.slice(2);
  const db = new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true });
  const person = db.prepare(`SELECT id, name, aliases, description, countryId FROM person WHERE id = ?`);
  const country = db.prepare(`SELECT name, alpha2 FROM country WHERE id = ?`);
  const positions = db.prepare(
    `SELECT p.title, p.startDate, p.endDate, o.name AS organizationName, p.organizationId FROM position p
     LEFT JOIN organization o ON o.id = p.organizationId WHERE p.personId = ?
     ORDER BY p.articleId, p.startOffset, p.id LIMIT 20`,
  );
  const latestQuotes = db.prepare(`SELECT id, text, kind FROM quote WHERE speakerId = ? ORDER BY createdAt DESC, id DESC LIMIT 20`);

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

  const app = express();
  app.disable("x-powered-by");
  app.post("/graphql", express.json({ limit: "1mb" }), (req, res) => {
    const body = req.body as { operationName?: string; query?: string; variables?: { id?: string } };
    const name = body.operationName ?? /query\s+(\w+)/.exec(body.query ?? "")?.[1];
    let result: unknown;
    if (name === "Q1") result = q1(String(body.variables?.id ?? ""));
    else if (name === "Q2") result = q2();
    else {
      res.status(400).json({ errors: [{ message: "the baseline answers Q1 and Q2 only" }] });
      return;
    }
    res.setHeader("content-type", "application/json; charset=utf-8");
    res.end(`${JSON.stringify(result)}\n`);
  });
  const server = app.listen(Number(portText), "127.0.0.1", () => {
    process.send?.({ ready: true });
  });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}

main();
