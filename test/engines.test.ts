/**
 * Every package the lockfile installs accepts the Node.js versions the README supports, so a
 * fresh `npm ci` on Node 20 prints no EBADENGINE warning (`@whatwg-node/promise-helpers` 2 wants
 * Node 22.15; package.json's `overrides` pins 1.3.2, which has the same functions).
 */
import fs from "node:fs";
import path from "node:path";
import semver from "semver";
import { PROJECT_ROOT } from "../src/paths";

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
  dev?: boolean;
  optional?: boolean;
}

const lock = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, LockedPackage> };
const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { engines: { node: string } };

describe("the installed packages' engines", () => {
  it("let Node.js 20 from 20.19, and the running Node, install every package without an EBADENGINE warning", () => {
    const lowest = semver.minVersion(manifest.engines.node)?.version;
    expect(lowest).toBe("20.19.0");
    // The Node 20 line the README promises, from its lowest version, and the Node running the tests.
    const supported = [lowest as string, "20.20.2", process.versions.node].filter((version) => semver.satisfies(version, manifest.engines.node));
    expect(supported.length).toBeGreaterThanOrEqual(2);
    const refused: string[] = [];
    for (const [where, pkg] of Object.entries(lock.packages)) {
      const range = pkg.engines && !Array.isArray(pkg.engines) ? pkg.engines.node : undefined;
      if (!where || !range) continue;
      for (const version of supported) {
        if (!semver.satisfies(version, range)) refused.push(`${where}@${pkg.version} wants node ${range}, not ${version}`);
      }
    }
    expect(refused).toEqual([]);
  });
});
