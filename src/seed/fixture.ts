import fs from "node:fs";
import path from "node:path";
import { OrganizationKind, QuoteKind } from "../entities";
import { PROJECT_ROOT } from "../paths";

/** The folder that holds the seed articles and their fixtures. */
export const SEEDS_DIR = path.join(PROJECT_ROOT, "seeds");

export interface CountryFixture {
  name: string;
  alpha2: string;
  alpha3: string;
  wikidataId: string | null;
}

export interface OrganizationFixture {
  name: string;
  aliases: string[];
  kind: OrganizationKind;
  description: string | null;
  /** The alpha-2 code of the organization's country. */
  country: string | null;
  /** The name of the parent organization, which must come earlier in the list. */
  parent: string | null;
  wikidataId: string | null;
}

export interface PersonFixture {
  name: string;
  aliases: string[];
  description: string | null;
  country: string | null;
  wikidataId: string | null;
}

export interface PositionFixture {
  person: string;
  title: string;
  organization: string | null;
  country: string | null;
  startDate: string | null;
  endDate: string | null;
  startOffset: number;
  endOffset: number;
}

export interface QuoteFixture {
  text: string;
  kind: QuoteKind;
  speaker: string | null;
  speakerCountry: string | null;
  speakerOrganization: string | null;
  startOffset: number;
  endOffset: number;
}

/** One article and every fact it states, with references by name and code. */
export interface ArticleFixture {
  article: {
    url: string;
    title: string;
    publisher: string;
    byline: string | null;
    publishedAt: string;
    language: string;
    /** The file in `seeds/` holding the body, byte for byte. */
    bodyFile: string;
  };
  countries: CountryFixture[];
  organizations: OrganizationFixture[];
  people: PersonFixture[];
  positions: PositionFixture[];
  quotes: QuoteFixture[];
}

/** A fixture with its article body read in. */
export interface LoadedFixture extends ArticleFixture {
  body: string;
}

/** Reads every `*.json` fixture in a seeds folder, with the article bodies they point to. */
export function loadFixtures(dir: string = SEEDS_DIR): LoadedFixture[] {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => {
      const fixture = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as ArticleFixture;
      const body = fs.readFileSync(path.join(dir, fixture.article.bodyFile), "utf8");
      return { ...fixture, body };
    });
}

/**
 * Lists everything wrong with a fixture: offsets outside the body, direct quotes that do not
 * match their slice, references to names or codes the fixture does not define. Seeding refuses a
 * fixture with any problem, so a bad fixture never half-loads.
 */
export function fixtureProblems(fixture: LoadedFixture): string[] {
  const problems: string[] = [];
  const codes = new Set(fixture.countries.map((c) => c.alpha2));
  const people = new Set(fixture.people.map((p) => p.name));
  const organizations = new Set<string>();
  const inBody = (what: string, start: number, end: number): void => {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > fixture.body.length) {
      problems.push(`${what}: offsets ${start}..${end} are not a range inside the article body`);
    }
  };
  const country = (what: string, code: string | null): void => {
    if (code !== null && !codes.has(code)) problems.push(`${what}: unknown country ${code}`);
  };
  for (const o of fixture.organizations) {
    country(`organization ${o.name}`, o.country);
    if (o.parent !== null && !organizations.has(o.parent)) {
      problems.push(`organization ${o.name}: parent ${o.parent} must be listed before it`);
    }
    organizations.add(o.name);
  }
  for (const p of fixture.people) country(`person ${p.name}`, p.country);
  for (const p of fixture.positions) {
    const what = `position ${p.title} of ${p.person}`;
    if (!people.has(p.person)) problems.push(`${what}: unknown person`);
    if (p.organization !== null && !organizations.has(p.organization)) problems.push(`${what}: unknown organization`);
    country(what, p.country);
    inBody(what, p.startOffset, p.endOffset);
  }
  for (const q of fixture.quotes) {
    const what = `quote "${q.text.slice(0, 30)}…"`;
    if (q.speaker !== null && !people.has(q.speaker)) problems.push(`${what}: unknown speaker ${q.speaker}`);
    if (q.speakerOrganization !== null && !organizations.has(q.speakerOrganization)) {
      problems.push(`${what}: unknown organization ${q.speakerOrganization}`);
    }
    country(what, q.speakerCountry);
    inBody(what, q.startOffset, q.endOffset);
    if (fixture.body.slice(q.startOffset, q.endOffset) !== q.text) {
      problems.push(`${what}: the text is not the article slice ${q.startOffset}..${q.endOffset}`);
    }
  }
  return problems;
}
