import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const SRC = path.join(__dirname, "..", "src");

/**
 * What each layer of `src/` may not import: the read path only goes down (resolvers, then the
 * resolver-facing reads, then the loaders, then SQL compiled from plans, then storage), and the
 * model and migrations stand below all of them.
 */
const FORBIDDEN: Record<string, readonly string[]> = {
  sql: ["context.ts", "loaders", "reads", "resolvers", "schema", "http", "server.ts", "types", "services"],
  storage: ["context.ts", "sql", "loaders", "reads", "resolvers", "schema", "http", "server.ts", "types", "services", "model"],
  model: ["context.ts", "sql", "storage", "loaders", "reads", "resolvers", "schema", "http", "server.ts", "services"],
  loaders: ["reads", "resolvers", "schema", "server.ts", "services"],
  reads: ["resolvers", "schema", "server.ts"],
  migrations: ["context.ts", "sql", "storage", "model", "entities", "loaders", "reads", "resolvers", "schema", "http", "server.ts", "services", "config.ts"],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : full.endsWith(".ts") ? [full] : [];
  });
}

/** The top-level entry of `src/` each relative import of a file reaches (`sql`, `context.ts`…). */
function importedEntries(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
  return specifiers.map((specifier) => {
    const target = path.relative(SRC, path.resolve(path.dirname(file), specifier));
    const first = target.split(path.sep)[0];
    return first.includes(".") || target.includes(path.sep) ? first : `${first}.ts`;
  });
}

describe("the layers of src/", () => {
  for (const [layer, forbidden] of Object.entries(FORBIDDEN)) {
    it(`keeps ${layer}/ from importing the layers above it`, () => {
      const offences = filesUnder(path.join(SRC, layer)).flatMap((file) =>
        importedEntries(file)
          .filter((entry) => forbidden.includes(entry))
          .map((entry) => `${path.relative(SRC, file)} imports ${entry}`),
      );
      expect(offences).toEqual([]);
    });
  }
});
