export { mapSqliteTypes } from "./driver";
export { checkOwnDatabase, checkServerSupport, clientConfig, connectClient, dataSourceOptions, MIGRATIONS_TABLE, openPostgres, parsePostgresUrl, PostgresStartupError, redactUrl } from "./open";
export type { PostgresOptions, PostgresProblem } from "./open";
