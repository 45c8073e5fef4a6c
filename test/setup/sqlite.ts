// The suite's SQLite pass (jest project `sqlite`): createTestServer gives each server a SQLite
// file. Set per file, since --runInBand runs both projects' files in one process.
process.env.KB_TEST_DB = "sqlite";
