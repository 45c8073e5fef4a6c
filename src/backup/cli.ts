/**
 * `npm run backup -- <file> [--force]`: an online backup of the configured database
 * (`DATABASE_PATH`, default `data/kb.sqlite`), safe while the server runs.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config";
import { BackupError, backupDatabase, BackupReport } from "./backup";

const USAGE = `Usage: npm run backup -- <file> [--force]

Copies the database at DATABASE_PATH (default data/kb.sqlite) to <file>, online: the server may
keep running and writing. The copy is one consistent snapshot in a single self-contained file.
A relative <file> is taken from the directory npm was run in.

  --force   replace <file> if it exists
  --json    print the report as JSON
  --help`;

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function summary(report: BackupReport): string {
  return [
    `Backed up ${report.source}`,
    `       to ${report.destination}`,
    `  ${report.pages} pages of ${report.pageSize} bytes, ${formatBytes(report.bytes)}, in ${report.milliseconds.toFixed(0)} ms`,
  ].join("\n");
}

interface CommandLine {
  files: string[];
  force: boolean;
  json: boolean;
  help: boolean;
}

function parseCommandLine(argv: string[]): CommandLine {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { force: { type: "boolean" }, json: { type: "boolean" }, help: { type: "boolean" } },
    allowPositionals: true,
  });
  return { files: positionals, force: values.force ?? false, json: values.json ?? false, help: values.help ?? false };
}

/** Exit codes: 0 done, 1 the backup failed or was refused, 2 the command line is wrong. */
async function main(argv: string[]): Promise<number> {
  let commandLine: CommandLine;
  try {
    commandLine = parseCommandLine(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (commandLine.help) {
    console.log(USAGE);
    return 0;
  }
  if (commandLine.files.length !== 1) {
    console.error(`${commandLine.files.length === 0 ? "Name the backup file." : "Name exactly one backup file."}\n\n${USAGE}`);
    return 2;
  }
  try {
    const config = loadConfig();
    if (config.databaseUrl !== null) {
      throw new BackupError("DATABASE_URL is set: npm run backup copies a SQLite file; back PostgreSQL up with its own tools (pg_dump, or npm run copy-db to a SQLite file; see docs/postgres.md)");
    }
    if (config.databasePath === ":memory:") throw new BackupError("DATABASE_PATH is :memory:, there is no file to back up");
    // npm runs scripts from the package root; INIT_CWD is where the user typed the command.
    const destination = path.resolve(process.env.INIT_CWD ?? process.cwd(), commandLine.files[0]);
    const report = await backupDatabase(config.databasePath, destination, { force: commandLine.force });
    console.log(commandLine.json ? JSON.stringify(report) : summary(report));
    return 0;
  } catch (error) {
    if (error instanceof BackupError || error instanceof ConfigError) {
      console.error(`backup failed: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error("backup failed:", error);
    process.exitCode = 1;
  },
);
