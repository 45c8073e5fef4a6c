export { mapSqliteTypes } from "./driver";
export { checkOwnDatabase, checkPostgres, checkServerSupport, clientConfig, connectClient, dataSourceOptions, MIGRATIONS_TABLE, openPostgres, parsePostgresUrl, PostgresStartupError, redactUrl } from "./open";
export type { PostgresCheck, PostgresOptions, PostgresProblem } from "./open";
