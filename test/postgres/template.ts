/**
 * Fresh PostgreSQL databases for the test suite's PostgreSQL pass (jest project `postgres`, see
 * jest.config.ts): each `createTestServer` gets its own database, copied from a template that is
 * migrated, and seeded when asked, once per version of the sources. `CREATE DATABASE … TEMPLATE`
 * copies files, a few hundred milliseconds, where migrating and seeding again would take seconds.
 *
 * A template is named after a hash of `src/` and `seeds/`, so a change to a migration, an entity or
 * the seed makes a new one; templates of other hashes are dropped when a new one is made. It is
 * built under its final name's advisory lock in a scratch database and renamed into place, so two
 * test runs at once (two `npm test`) build it once and never see half of one.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Client } from "pg";
import { PROJECT_ROOT } from "../../src/paths";
import { PostgresDatabase } from "../../src/storage/postgres";
import { loadFixtures } from "../../src/seed/fixture";
import { seedAll } from "../../src/seed/seed";
import { dropDatabase, TEST_DATABASE_URL, withClient, withDatabase } from "./pg-env";

const PREFIX = "kbtpl_";

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

let sourcesHash: string | null = null;

/** A short hash of everything a template's contents depend on. */
function hashOfSources(): string {
  if (sourcesHash) return sourcesHash;
  const hash = crypto.createHash("sha1");
  for (const file of [...filesUnder(path.join(PROJECT_ROOT, "src")), ...filesUnder(path.join(PROJECT_ROOT, "seeds"))].sort()) {
    hash.update(path.relative(PROJECT_ROOT, file));
    hash.update(fs.readFileSync(file));
  }
  sourcesHash = hash.digest("hex").slice(0, 12);
  return sourcesHash;
}

/** Runs `work` with a client on TEST_DATABASE_URL (a role that may create databases). */
function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  return withClient(TEST_DATABASE_URL, work);
}

async function exists(client: Client, name: string): Promise<boolean> {
  return (await client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount === 1;
}

/** The template's name, built first if it does not exist yet. */
async function template(seeded: boolean): Promise<string> {
  const name = `${PREFIX}${hashOfSources()}_${seeded ? "seeded" : "empty"}`;
  return withAdmin(async (client) => {
    if (await exists(client, name)) return name;
    await client.query(`SELECT pg_advisory_lock(hashtext($1))`, [name]);
    try {
      if (await exists(client, name)) return name;
      const scratch = `${name}_build_${process.pid}`;
      await dropDatabase(withDatabase(TEST_DATABASE_URL, scratch));
      await client.query(`CREATE DATABASE "${scratch}"`);
      const db = await PostgresDatabase.open(withDatabase(TEST_DATABASE_URL, scratch), { readCacheEntries: 0 });
      try {
        if (seeded) await seedAll(db, loadFixtures());
      } finally {
        await db.close();
      }
      await client.query(`ALTER DATABASE "${scratch}" RENAME TO "${name}"`);
      // Templates of older sources; one still being copied by another run is left for next time.
      const stale = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname NOT LIKE $2`, [
        `${PREFIX}%`,
        `${PREFIX}${hashOfSources()}_%`,
      ]);
      for (const row of stale.rows) await client.query(`DROP DATABASE IF EXISTS "${row.datname}"`).catch(() => undefined);
      return name;
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext($1))`, [name]);
    }
  });
}

/** A new database holding the migrated schema and, when `seeded`, the seed fixture; returns its URL. */
export async function freshDatabase(seeded: boolean): Promise<string> {
  const source = await template(seeded);
  const name = `kbtest_${process.pid}_${crypto.randomBytes(4).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${source}"`));
  return withDatabase(TEST_DATABASE_URL, name);
}

/** Drops a database made by `freshDatabase`, closing any connection left to it (see `dropDatabase`). */
export async function dropFreshDatabase(url: string): Promise<void> {
  await dropDatabase(url);
}

/** Whether this test file runs in the suite's PostgreSQL pass (jest project `postgres`). */
export function onPostgres(): boolean {
  return process.env.KB_TEST_DB === "postgres";
}
