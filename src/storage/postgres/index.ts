export { mapSqliteTypes } from "./driver";
export { checkOwnDatabase, checkPostgres, checkServerSupport, clientConfig, connectClient, dataSourceOptions, MIGRATIONS_TABLE, openPostgres, parsePostgresUrl, PostgresStartupError, redactUrl } from "./open";
export type { PostgresCheck, PostgresOptions, PostgresProblem } from "./open";
export { POSTGRES_STAMP_SQL, PostgresDatabase, READ_YOUR_WRITES_MS, TIMEOUT_SLACK_MS, WRITE_LOCK } from "./database";
export type { PostgresDatabaseOptions } from "./database";
