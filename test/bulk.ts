import { Database } from "../src/storage/database";

/**
 * Adds synthetic rows straight through SQL: for every existing country `peoplePerCountry` people,
 * each with `positionsPerPerson` positions in a new organization and `quotesPerPerson` quotes in
 * the first article. Offsets point at the start of the body; tests that use this check structure,
 * not fidelity.
 */
export function addBulkRows(
  db: Database,
  options: { peoplePerCountry: number; positionsPerPerson: number; quotesPerPerson: number; tag?: string },
): void {
  const tag = options.tag ?? "bulk";
  const sqlite = db.sqlite;
  const article = sqlite.prepare(`SELECT id FROM article ORDER BY id LIMIT 1`).get() as { id: number };
  const countries = sqlite.prepare(`SELECT id, alpha2 FROM country ORDER BY id`).all() as Array<{ id: number; alpha2: string }>;
  const insertOrganization = sqlite.prepare(
    `INSERT INTO organization (name, aliases, kind, countryId) VALUES (?, '[]', 'OTHER', ?)`,
  );
  const insertPerson = sqlite.prepare(`INSERT INTO person (name, aliases, countryId) VALUES (?, '[]', ?)`);
  const insertPosition = sqlite.prepare(
    `INSERT INTO position (personId, title, organizationId, countryId, articleId, startOffset, endOffset) VALUES (?, ?, ?, ?, ?, 0, 1)`,
  );
  const insertQuote = sqlite.prepare(
    `INSERT INTO quote (text, kind, speakerId, articleId, startOffset, endOffset) VALUES (?, 'PARAPHRASE', ?, ?, ?, ?)`,
  );
  let offset = (sqlite.prepare(`SELECT MAX(endOffset) AS m FROM quote`).get() as { m: number }).m + 100_000;
  sqlite.transaction(() => {
    for (const country of countries) {
      const organizationId = Number(insertOrganization.run(`${tag} org ${country.alpha2}`, country.id).lastInsertRowid);
      for (let p = 0; p < options.peoplePerCountry; p += 1) {
        const personId = Number(insertPerson.run(`${tag} person ${country.alpha2} ${p}`, country.id).lastInsertRowid);
        for (let i = 0; i < options.positionsPerPerson; i += 1) {
          insertPosition.run(personId, `${tag} title ${i}`, organizationId, country.id, article.id);
        }
        for (let i = 0; i < options.quotesPerPerson; i += 1) {
          offset += 1;
          insertQuote.run(`${tag} quote ${personId}/${i}`, personId, article.id, offset, offset + 1);
        }
      }
    }
  })();
}
