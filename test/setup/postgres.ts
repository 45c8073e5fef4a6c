// The suite's PostgreSQL pass (jest project `postgres`): createTestServer gives each server a
// fresh PostgreSQL database (test/postgres/template.ts). Set per file, since --runInBand runs
// both projects' files in one process.
process.env.KB_TEST_DB = "postgres";
