/**
 * The PostgreSQL the tests under test/postgres run against: `TEST_DATABASE_URL`, a role allowed
 * to create databases (scripts/pg-local.sh start prints one). Each test file makes throwaway
 * databases of its own and drops them, so files can run one after another (--runInBand).
 * Without TEST_DATABASE_URL each file skips its tests in one `describe.skip` and says so in one
 * warning: never a silent pass.
 */
import { randomBytes } from "node:crypto";
import net from "node:net";
import { Client } from "pg";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "";

/** `describe` when PostgreSQL is there, `describe.skip` and one warning line when it is not. */
export function describePostgres(file: string): jest.Describe {
  if (TEST_DATABASE_URL) return describe;
  console.warn(`PostgreSQL tests skipped (${file}): set TEST_DATABASE_URL to run them, e.g. TEST_DATABASE_URL=$(scripts/pg-local.sh start) npx jest test/postgres`);
  return describe.skip;
}

/** A URL like TEST_DATABASE_URL for another database or password. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new empty database; returns its URL. */
export async function createDatabase(prefix: string): Promise<string> {
  const name = `kbtest_${prefix}_${process.pid}_${randomBytes(3).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  return withDatabase(TEST_DATABASE_URL, name);
}

/**
 * Drops a database made by `createDatabase` or `freshDatabase`: ends the connections left to it
 * that are ours, then drops it, retrying while another session (an autovacuum worker, a
 * connection still closing) holds it. Not `WITH (FORCE)`: as a role without superuser rights it
 * cannot end an autovacuum worker's session and fails, while a plain DROP cancels such a worker.
 */
export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await admin(async (client) => {
    for (let attempt = 1; ; attempt += 1) {
      await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND usename = current_user AND pid <> pg_backend_pid()`, [name]);
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}"`);
        return;
      } catch (error) {
        // 55006: the database is being accessed by other users.
        if ((error as { code?: string }).code !== "55006" || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
}

/** Runs `work` with a client on `url`. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A local port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
