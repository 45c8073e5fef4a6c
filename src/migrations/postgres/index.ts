import type { MigrationInterface } from "typeorm";
import { PostgresInitial1796454564925 } from "./1796454564925-PostgresInitial";
import { PostgresSearch1796454564926 } from "./1796454564926-PostgresSearch";
import { PostgresChangeStamp1796454564927 } from "./1796454564927-PostgresChangeStamp";
import { PostgresByteOrder1796454564928 } from "./1796454564928-PostgresByteOrder";
import { PostgresWholeSeconds1796454564929 } from "./1796454564929-PostgresWholeSeconds";

/**
 * Every PostgreSQL migration, oldest first: the PostgreSQL schema has migrations of its own (the
 * SQLite ones, listed in `../index.ts`, which does not import this file, hold SQLite's SQL).
 * TypeORM records which have run in the database's `migrations` table.
 */
export const postgresMigrations: Array<new () => MigrationInterface> = [PostgresInitial1796454564925, PostgresSearch1796454564926, PostgresChangeStamp1796454564927, PostgresByteOrder1796454564928, PostgresWholeSeconds1796454564929];
