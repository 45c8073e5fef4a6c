import fs from "node:fs";
import path from "node:path";

function findRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** The repository root, found the same way from `src/` (ts-node, jest) and from `dist/src/`. */
export const PROJECT_ROOT = findRoot(__dirname);
