/**
 * docs/frontends.md stays true to the code: it lists every error code the server defines, names
 * only helpers that client/apollo.ts exports, and the README links it.
 */
import fs from "node:fs";
import path from "node:path";
import * as apolloHelpers from "../client/apollo";
import { ErrorCode } from "../src/errors";
import { PROJECT_ROOT } from "../src/paths";

const DOC = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "frontends.md"), "utf8");

describe("the frontends page", () => {
  it("lists every error code of ErrorCode in its table", () => {
    const missing = Object.values(ErrorCode).filter((code) => !DOC.includes(`| \`${code}\` |`));
    expect(missing).toEqual([]);
  });

  it("names only helpers that client/apollo.ts exports", () => {
    const named = [...DOC.matchAll(/\b(newsKb\w+|connection(?:Pagination|TypePolicies|KeyArgs))\b/g)].map((match) => match[1]);
    expect(named.length).toBeGreaterThan(0);
    expect([...new Set(named)].filter((name) => !(name in apolloHelpers))).toEqual([]);
  });

  it("links files that exist", () => {
    const links = [...DOC.matchAll(/\]\((\.\.\/[^)#]+)\)/g)].map((match) => match[1]);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((link) => !fs.existsSync(path.join(PROJECT_ROOT, "docs", link)))).toEqual([]);
  });

  it("is linked from the README", () => {
    expect(fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8")).toContain("](docs/frontends.md)");
  });
});
