import type { TestServer } from "./helpers";

/**
 * Adds synthetic rows straight through SQL, on either database: for every existing country
 * `peoplePerCountry` people, each with `positionsPerPerson` positions in a new organization and
 * `quotesPerPerson` quotes in the first article. Offsets point at the start of the body; tests
 * that use this check structure, not fidelity. Rows go in a few multi-row statements.
 */
export async function addBulkRows(
  kb: Pick<TestServer, "sql">,
  options: { peoplePerCountry: number; positionsPerPerson: number; quotesPerPerson: number; tag?: string },
): Promise<void> {
  const tag = options.tag ?? "bulk";
  const [article] = await kb.sql<{ id: number }>(`SELECT id FROM article ORDER BY id LIMIT 1`);
  const countries = await kb.sql<{ id: number; alpha2: string }>(`SELECT id, alpha2 FROM country ORDER BY id`);
  const [{ m }] = await kb.sql<{ m: number }>(`SELECT MAX("endOffset") AS m FROM quote`);
  let offset = m + 100_000;
  const organizations = new Map<number, number>();
  for (const country of countries) {
    const [row] = await kb.sql<{ id: number }>(`INSERT INTO organization (name, aliases, kind, "countryId") VALUES (?, '[]', 'OTHER', ?) RETURNING id`, [
      `${tag} org ${country.alpha2}`,
      country.id,
    ]);
    organizations.set(country.id, row.id);
  }
  for (const country of countries) {
    const people = await kb.sql<{ id: number }>(
      `INSERT INTO person (name, aliases, "countryId") VALUES ${Array.from({ length: options.peoplePerCountry }, () => "(?, '[]', ?)").join(", ")} RETURNING id`,
      Array.from({ length: options.peoplePerCountry }, (_, p) => [`${tag} person ${country.alpha2} ${p}`, country.id]).flat(),
    );
    const ids = people.map((row) => row.id).sort((a, b) => a - b);
    const positions: unknown[][] = [];
    const quotes: unknown[][] = [];
    for (const personId of ids) {
      for (let i = 0; i < options.positionsPerPerson; i += 1) positions.push([personId, `${tag} title ${i}`, organizations.get(country.id), country.id, article.id]);
      for (let i = 0; i < options.quotesPerPerson; i += 1) {
        offset += 1;
        quotes.push([`${tag} quote ${personId}/${i}`, personId, article.id, offset, offset + 1]);
      }
    }
    if (positions.length > 0) {
      await kb.sql(
        `INSERT INTO position ("personId", title, "organizationId", "countryId", "articleId", "startOffset", "endOffset") VALUES ${positions.map(() => "(?, ?, ?, ?, ?, 0, 1)").join(", ")}`,
        positions.flat(),
      );
    }
    if (quotes.length > 0) {
      await kb.sql(
        `INSERT INTO quote (text, kind, "speakerId", "articleId", "startOffset", "endOffset") VALUES ${quotes.map(() => "(?, 'PARAPHRASE', ?, ?, ?, ?)").join(", ")}`,
        quotes.flat(),
      );
    }
  }
}
