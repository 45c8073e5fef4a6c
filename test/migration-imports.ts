import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The imports of the migrations in `dir` that reach outside it, as `file: specifier`: a migration
 * may import typeorm and its own folder's files only, so that it never changes with live code.
 */
export function migrationImportsOutside(dir: string): string[] {
  const outside: string[] = [];
  const pattern = /(?:import|export)[^;]*?from\s+["']([^"']+)["']|(?:import|require)\(\s*["']([^"']+)["']\s*\)|^import\s+["']([^"']+)["']/gm;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const source = readFileSync(join(dir, file), "utf8");
    for (const match of source.matchAll(pattern)) {
      const specifier = match[1] ?? match[2] ?? match[3];
      if (specifier === "typeorm" || (specifier.startsWith("./") && !specifier.slice(2).includes("/"))) continue;
      outside.push(`${file}: ${specifier}`);
    }
  }
  return outside;
}
