import type { Config } from "jest";

/**
 * Test files that exercise SQLite itself (its files, pragmas, reader processes, FTS5 syntax, the
 * SQLite migrations) or nothing that touches a database, and so run in the SQLite pass only.
 * The files under test/postgres test PostgreSQL directly and run once, in the SQLite pass, too.
 */
const SQLITE_ONLY = [
  "/test/postgres/",
  "/test/backup.test.ts",
  "/test/bad-database.test.ts",
  "/test/crash.test.ts",
  "/test/storage-faults.test.ts",
  "/test/read-pool.test.ts",
  "/test/statement-cache.test.ts",
  "/test/migrations.test.ts",
  "/test/two-processes.test.ts",
  "/test/shutdown.test.ts",
  "/test/filter-compiler.test.ts",
  "/test/planner.test.ts",
  "/test/layers.test.ts",
  "/test/model.test.ts",
  "/test/schema.test.ts",
  "/test/engines.test.ts",
  "/test/client-files.test.ts",
  "/test/frontends-docs.test.ts",
  "/test/ingest-extract.test.ts",
  "/test/ingest-adversarial.test.ts",
  "/test/generate.test.ts",
  "/test/bench-baseline.test.ts",
  "/test/playground.test.ts",
];

const base: Config = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }],
  },
};

/**
 * Two passes over the suite (issue 17): every test on SQLite, and every test that goes through
 * the server's storage again on PostgreSQL (`TEST_DATABASE_URL`). `npm test` (scripts/test.sh)
 * selects the SQLite pass only when there is no PostgreSQL, and says so.
 */
const config: Config = {
  testTimeout: 60_000,
  projects: [
    { ...base, displayName: "sqlite", setupFiles: ["reflect-metadata", "<rootDir>/test/setup/sqlite.ts"] },
    { ...base, displayName: "postgres", setupFiles: ["reflect-metadata", "<rootDir>/test/setup/postgres.ts"], testPathIgnorePatterns: ["/node_modules/", ...SQLITE_ONLY] },
  ],
};

export default config;
