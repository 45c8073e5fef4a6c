import { EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from "typeorm";
import { dialectFor, Store } from "../storage/store";
import type { SqlValue } from "../storage/dialect";
import { Article, Country, Organization, Person, Position, Quote } from "../entities";
import { refreshMentions, SqlSession } from "../services/editing/mentions";
import { fixtureProblems, LoadedFixture } from "./fixture";

/**
 * How many rows a seeding run inserted and updated, and how many that differ from the fixture it
 * left as they are because editors have changed them through the API.
 */
export interface SeedReport {
  inserted: number;
  updated: number;
  keptEdited: number;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Inserts the row matching `where` or brings it in line with `values`, writing only when
 * something differs, so that seeding twice changes nothing (not even `updatedAt`). A row that
 * editors have changed through the API (it has an `UPDATE` in the edit log) is theirs: the seed
 * leaves it alone rather than undo a correction that the edit log would not show was undone.
 */
async function upsert<T extends ObjectLiteral & { id: number }>(
  manager: EntityManager,
  entity: EntityTarget<T> & { name: string },
  where: FindOptionsWhere<T>,
  values: Partial<T>,
  report: SeedReport,
): Promise<T> {
  const repository = manager.getRepository(entity);
  const existing = await repository.findOneBy(where);
  if (!existing) {
    report.inserted += 1;
    return repository.save(repository.create(values as T));
  }
  const changed = Object.entries(values).filter(([key, value]) => !same(existing[key], value));
  if (changed.length === 0) return existing;
  const edited: unknown[] = await sqlSession(manager).select(`SELECT 1 FROM "edit" WHERE "entityType" = ? AND "entityId" = ? AND "action" = 'UPDATE' LIMIT 1`, [
    entity.name,
    existing.id,
  ]);
  if (edited.length > 0) {
    report.keptEdited += 1;
    return existing;
  }
  report.updated += 1;
  Object.assign(existing, Object.fromEntries(changed));
  return repository.save(existing);
}

/** The seeder's transaction as the mention refresh runs SQL in it. */
function sqlSession(manager: EntityManager): SqlSession {
  const dialect = dialectFor(manager);
  return { dialect, select: async <T>(sql: string, params: readonly SqlValue[] = []) => (await manager.query(dialect.native(sql), [...params])) as T[] };
}

/**
 * Loads one article fixture in one write transaction, behind every other write (the store's write
 * queue; on PostgreSQL also behind other processes' writes), so that two processes seeding an
 * empty database at once load it once: the second finds the rows there. Refuses a fixture with
 * any problem.
 */
export async function seedFixture(db: Store, fixture: LoadedFixture): Promise<SeedReport> {
  const problems = fixtureProblems(fixture);
  if (problems.length > 0) {
    throw new Error(`The fixture for ${fixture.article.url} has problems:\n- ${problems.join("\n- ")}`);
  }
  const report: SeedReport = { inserted: 0, updated: 0, keptEdited: 0 };
  await db.write(async (manager) => {
    const { bodyFile, ...articleFields } = fixture.article;
    const article = await upsert(manager, Article, { url: fixture.article.url }, { ...articleFields, body: fixture.body }, report);

    const countries = new Map<string, number>();
    for (const c of fixture.countries) {
      const row = await upsert(manager, Country, { alpha2: c.alpha2 }, c, report);
      countries.set(c.alpha2, row.id);
    }
    const countryId = (code: string | null): number | null => (code === null ? null : (countries.get(code) as number));

    const organizations = new Map<string, number>();
    for (const { country, parent, ...o } of fixture.organizations) {
      const row = await upsert(
        manager,
        Organization,
        { name: o.name },
        { ...o, countryId: countryId(country), parentId: parent === null ? null : (organizations.get(parent) as number) },
        report,
      );
      organizations.set(o.name, row.id);
    }

    const people = new Map<string, number>();
    for (const { country, ...p } of fixture.people) {
      const row = await upsert(manager, Person, { name: p.name }, { ...p, countryId: countryId(country) }, report);
      people.set(p.name, row.id);
    }

    for (const { person, organization, country, ...p } of fixture.positions) {
      const personId = people.get(person) as number;
      await upsert(
        manager,
        Position,
        { personId, title: p.title, articleId: article.id, startOffset: p.startOffset, endOffset: p.endOffset },
        {
          ...p,
          personId,
          organizationId: organization === null ? null : (organizations.get(organization) as number),
          countryId: countryId(country),
          articleId: article.id,
        },
        report,
      );
    }

    for (const { speaker, speakerCountry, speakerOrganization, ...q } of fixture.quotes) {
      await upsert(
        manager,
        Quote,
        { articleId: article.id, startOffset: q.startOffset, endOffset: q.endOffset },
        {
          ...q,
          speakerId: speaker === null ? null : (people.get(speaker) as number),
          speakerCountryId: countryId(speakerCountry),
          speakerOrganizationId: speakerOrganization === null ? null : (organizations.get(speakerOrganization) as number),
          articleId: article.id,
        },
        report,
      );
    }

    // Derived from the body and the names just seeded; not counted in the report (not fixture rows).
    await refreshMentions(sqlSession(manager), article.id, article.body);
  });
  return report;
}

/** Loads every fixture. Safe to run any number of times. */
export async function seedAll(db: Store, fixtures: LoadedFixture[]): Promise<SeedReport> {
  const total: SeedReport = { inserted: 0, updated: 0, keptEdited: 0 };
  for (const fixture of fixtures) {
    const report = await seedFixture(db, fixture);
    total.inserted += report.inserted;
    total.updated += report.updated;
    total.keptEdited += report.keptEdited;
  }
  return total;
}

/** Whether the database holds no article yet (start-up seeds only then). */
export async function isEmpty(db: Store): Promise<boolean> {
  return ((await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "article"`))?.n ?? 0) === 0;
}
