/**
 * What the synthetic knowledge base says: the world (countries, organizations, people) and the
 * articles written about it, with every quote and position placed in an article body. Pure
 * computation from a seed, free of any database, so that it can run in the generator's worker
 * thread (see `worker.ts`) while the main thread inserts what it has already produced.
 */
import { OrganizationKind } from "../../src/entities/enums";
import type { TableCounts } from "./tables";
import { Random, streamSeed, ZipfIds, ZipfList } from "./random";
import * as V from "./vocabulary";

// --- The world: countries, organizations, people -------------------------------------------

/** Stamped on every entity row so that the same seed gives byte-identical tables. */
export const GENERATED_AT = "2025-01-01 00:00:00";

export interface CountryRow {
  id: number;
  name: string;
  alpha2: string;
  alpha3: string;
}

export interface OrganizationRow {
  id: number;
  name: string;
  aliases: string[];
  kind: OrganizationKind;
  description: string | null;
  countryId: number | null;
  parentId: number | null;
}

/** An office a person holds, the same in every article that mentions it. */
export interface Office {
  title: string;
  organizationId: number | null;
  countryId: number | null;
  startDate: string | null;
  endDate: string | null;
  /** The year the office ended, to call the holder "former" in later articles. */
  endYear: number | null;
}

export interface PersonRow {
  id: number;
  name: string;
  aliases: string[];
  /** How articles refer to the person after the first mention (the first alias, else the name). */
  shortName: string;
  description: string | null;
  countryId: number | null;
  offices: Office[];
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** "Ministry of Defense" → "the Ministry of Defense"; "The Dorvik Herald" stays as it is. */
const withArticle = (name: string): string => (name.startsWith("The ") ? name : `the ${name}`);

/** Initials of the significant words: "Ministry of Foreign Affairs of Veloria" → "MFAV". */
function acronym(name: string): string {
  return name
    .split(/[\s-]+/)
    .filter((word) => /^[A-Z]/.test(word) && !["The"].includes(word))
    .map((word) => word.charAt(0))
    .join("");
}

/**
 * Everything the articles are written about, generated up front because every article refers
 * back into it. Picks are Zipf-skewed: a few countries, organizations and people dominate the
 * news, most appear rarely.
 */
export class World {
  readonly countries: CountryRow[] = [];
  readonly organizations: OrganizationRow[] = [];
  readonly people: PersonRow[] = [];
  readonly cities: string[] = [];
  readonly publishers: string[] = [];
  private readonly organizationsByCountry = new Map<number, number[]>();
  private countryPicker: ZipfIds | null = null;
  private organizationPicker: ZipfIds | null = null;
  private personPicker: ZipfIds | null = null;
  private readonly cityPicker: ZipfList<number>;

  constructor(
    private readonly counts: TableCounts,
    private readonly seed: number,
  ) {
    const random = new Random(streamSeed(seed, "places"));
    this.makeCountries(random);
    this.makeCities(random);
    this.cityPicker = new ZipfList(
      this.cities.map((_, i) => i),
      0.8,
    );
    this.makePublishers(random);
  }

  countryName(random: Random): string {
    return this.countryPicker ? this.countries[this.countryPicker.pick(random) - 1].name : this.city(random);
  }

  city(random: Random): string {
    return this.cities[this.cityPicker.pick(random)];
  }

  /** A country id, or null when there are no countries. */
  pickCountry(random: Random): number | null {
    return this.countryPicker ? this.countryPicker.pick(random) : null;
  }

  pickOrganization(random: Random): number | null {
    return this.organizationPicker ? this.organizationPicker.pick(random) : null;
  }

  pickPerson(random: Random): number {
    return (this.personPicker as ZipfIds).pick(random);
  }

  /** Fills `{C}` (country), `{T}` (town), `{W}` (weekday), `{O}` (topic), `{D}` (ministry), `{M}`, `{R}`. */
  fill(template: string, random: Random): string {
    if (!template.includes("{")) return template;
    return template.replace(/\{([A-Z])\}/g, (_match, key: string): string => {
      switch (key) {
        case "C":
          return this.countryName(random);
        case "T":
          return this.city(random);
        case "W":
          return random.pick(V.WEEKDAYS);
        case "O":
          return OBJECTS.pick(random);
        case "D":
          return random.pick(V.MINISTRY_DOMAINS);
        case "M":
          return random.pick(V.MEDIA_NOUNS);
        case "R":
          return random.pick(V.REGIONS);
        default:
          return key;
      }
    });
  }

  private makeCountries(random: Random): void {
    const names = new Set<string>();
    const alpha2 = new Set<string>();
    const alpha3 = new Set<string>();
    for (let id = 1; id <= this.counts.country; id += 1) {
      let name = "";
      for (let attempt = 0; name === "" || names.has(name); attempt += 1) {
        const stem = random.pick(V.COUNTRY_HEADS) + random.pick(V.COUNTRY_MIDDLES) + random.pick(V.COUNTRY_TAILS);
        name = (attempt > 20 ? random.pick(V.COUNTRY_PREFIXES.filter((p) => p !== "")) : random.pick(V.COUNTRY_PREFIXES)) + stem;
      }
      names.add(name);
      const letters = name.toUpperCase().replace(/[^A-Z]/g, "");
      const code2 = uniqueCode(letters, 2, alpha2);
      const code3 = uniqueCode(letters, 3, alpha3);
      this.countries.push({ id, name, alpha2: code2, alpha3: code3 });
    }
    if (this.counts.country > 0) this.countryPicker = new ZipfIds(this.counts.country, 1, random);
  }

  private makeCities(random: Random): void {
    const names = new Set<string>(this.countries.map((c) => c.name));
    const wanted = Math.max(40, this.counts.country * 3);
    const middles = ["", "", "a", "o", "e", "an", "i"];
    for (let attempt = 0; this.cities.length < wanted && attempt < wanted * 20; attempt += 1) {
      const name = random.pick(V.CITY_HEADS) + random.pick(middles) + random.pick(V.CITY_TAILS);
      if (names.has(name)) continue;
      names.add(name);
      this.cities.push(name);
    }
  }

  private makePublishers(random: Random): void {
    const names = new Set<string>();
    for (let attempt = 0; this.publishers.length < 40 && attempt < 2000; attempt += 1) {
      const name = this.fill(random.pick(V.PUBLISHER_FORMS), random);
      if (names.has(name)) continue;
      names.add(name);
      this.publishers.push(name);
    }
  }

  makeOrganizations(): void {
    const random = new Random(streamSeed(this.seed, "organizations"));
    const kinds = new ZipfList(V.ORGANIZATION_KINDS, 0.8);
    const names = new Set<string>();
    for (let id = 1; id <= this.counts.organization; id += 1) {
      const kind = kinds.pick(random);
      const countryId = kind === OrganizationKind.INTERGOVERNMENTAL || random.chance(0.07) ? null : this.pickCountry(random);
      const country = countryId === null ? null : this.countries[countryId - 1].name;
      let name = "";
      for (let attempt = 0; name === "" || names.has(name); attempt += 1) {
        name = this.organizationName(kind, country, random);
        // Past a few collisions the pattern space for this kind and country is crowded: qualify
        // with a city, and as a last resort with the id, which is unique by construction.
        if (attempt >= 8 && names.has(name)) name = `${name} of ${this.city(random)}`;
        if (attempt >= 16 && names.has(name)) name = `${name} (${id})`;
      }
      names.add(name);
      const aliases: string[] = [];
      const initials = acronym(name);
      if (initials.length >= 2 && initials.length <= 6 && random.chance(0.75)) aliases.push(initials);
      if (random.chance(0.3)) {
        const short = name.replace(/ of [A-Z][\w’-]*( [A-Z][\w’-]*)?$/, "");
        if (short !== name) aliases.push(short);
        else if (country !== null) aliases.push(`${country}’s ${kind.toLowerCase()} body`);
      }
      const siblings = countryId === null ? undefined : this.organizationsByCountry.get(countryId);
      const parentId =
        siblings && siblings.length > 0 && kind !== OrganizationKind.MEDIA && kind !== OrganizationKind.COMPANY && random.chance(0.2)
          ? random.pick(siblings)
          : null;
      this.organizations.push({
        id,
        name,
        aliases,
        kind,
        description: random.chance(0.6) ? this.organizationDescription(kind, country, random) : null,
        countryId,
        parentId,
      });
      if (countryId !== null) {
        if (!siblings) this.organizationsByCountry.set(countryId, [id]);
        else siblings.push(id);
      }
    }
    if (this.counts.organization > 0) this.organizationPicker = new ZipfIds(this.counts.organization, 0.9, random);
  }

  private organizationName(kind: OrganizationKind, country: string | null, random: Random): string {
    const place = country ?? this.city(random);
    switch (kind) {
      case OrganizationKind.GOVERNMENT:
        return random.chance(0.55)
          ? `Ministry of ${random.pick(V.MINISTRY_DOMAINS)} of ${place}`
          : `${place} ${random.pick(V.AGENCIES)}`;
      case OrganizationKind.MILITARY:
        return random.chance(0.7)
          ? `${place} ${random.pick(V.MILITARY_UNITS)}`
          : `${random.pick(V.REGIONS)} Military District of ${place}`;
      case OrganizationKind.RESEARCH: {
        const field = random.pick(V.RESEARCH_FIELDS);
        const forms = [
          `${this.city(random)} Institute of ${field} Studies`,
          `Center for ${field} Studies`,
          `${place} Council on ${field} Affairs`,
          `${place} Academy of ${field} Research`,
          `${this.city(random)} School of ${field} Studies`,
        ];
        return random.pick(forms);
      }
      case OrganizationKind.MEDIA:
        return random.chance(0.7) ? `The ${this.city(random)} ${random.pick(V.MEDIA_NOUNS)}` : `${place} Broadcasting Corporation`;
      case OrganizationKind.POLITICAL:
        return `${random.pick(V.PARTY_ADJECTIVES)} ${random.pick(V.PARTY_NOUNS)} of ${place}`;
      case OrganizationKind.COMPANY:
        return `${random.chance(0.5) ? place : this.city(random)} ${random.pick(V.COMPANY_SECTORS)} ${random.pick(V.COMPANY_FORMS)}`;
      case OrganizationKind.NONPROFIT:
        return `${place} ${random.pick(V.NONPROFIT_CAUSES)} ${random.pick(V.NONPROFIT_FORMS)}`;
      case OrganizationKind.INTERGOVERNMENTAL:
        return `${random.pick(V.REGIONS)} ${random.pick(V.BLOC_FORMS)}`;
      default:
        return `${this.city(random)} ${random.pick(V.OTHER_FORMS)}`;
    }
  }

  private organizationDescription(kind: OrganizationKind, country: string | null, random: Random): string {
    const where = country === null ? `based in ${this.city(random)}` : `in ${country}`;
    switch (kind) {
      case OrganizationKind.GOVERNMENT:
        return `A government body ${where}`;
      case OrganizationKind.MILITARY:
        return `An armed force ${where}`;
      case OrganizationKind.RESEARCH:
        return `A research institute ${where}`;
      case OrganizationKind.MEDIA:
        return `A news outlet ${where}`;
      case OrganizationKind.INTERGOVERNMENTAL:
        return "A regional body of member states";
      case OrganizationKind.POLITICAL:
        return `A political party ${where}`;
      case OrganizationKind.COMPANY:
        return `A ${random.pick(V.COMPANY_SECTORS).toLowerCase()} company ${where}`;
      case OrganizationKind.NONPROFIT:
        return `A non-profit group ${where} campaigning on ${random.pick(V.NONPROFIT_CAUSES).toLowerCase()}`;
      default:
        return `An association ${where}`;
    }
  }

  /** Makes every person; `onMade(first, last)` hears of each `chunk` of them (indexes into `people`) as it is done. */
  makePeople(onMade?: (first: number, last: number) => void, chunk = 10_000): void {
    const random = new Random(streamSeed(this.seed, "people"));
    const firstNames = new ZipfList(V.FIRST_NAMES, 0.6);
    const heads = new ZipfList(V.SURNAME_HEADS, 0.5);
    const tails = new ZipfList(V.SURNAME_TAILS, 0.5);
    const stateTitles = new ZipfList(V.STATE_TITLES, 0.9);
    const names = new Set<string>();
    for (let id = 1; id <= this.counts.person; id += 1) {
      let first = "";
      let surname = "";
      let name = "";
      for (let attempt = 0; name === "" || names.has(name); attempt += 1) {
        first = firstNames.pick(random);
        const prefix = random.pick(V.SURNAME_PREFIXES);
        surname = prefix + heads.pick(random) + random.pick(V.SURNAME_MIDDLES) + tails.pick(random);
        name = `${first} ${surname}`;
        // Crowded name space (millions of people): a middle initial, then a generational suffix
        // with the id, keep names unique as the UNIQUE constraint demands.
        if (attempt >= 10 && names.has(name)) name = `${first} ${String.fromCharCode(65 + random.below(26))}. ${surname}`;
        if (attempt >= 20 && names.has(name)) name = `${first} ${surname} ${id}`;
      }
      names.add(name);
      const aliases = this.personAliases(first, surname, name, random);
      const countryId = random.chance(0.9) ? this.pickCountry(random) : null;
      const offices: Office[] = [];
      const officeCount = random.chance(0.7) ? 1 : random.chance(0.73) ? 2 : 3;
      for (let i = 0; i < officeCount; i += 1) offices.push(this.office(countryId, stateTitles, random));
      this.people.push({
        id,
        name,
        aliases,
        shortName: aliases[0] ?? name,
        description: random.chance(0.65) ? this.personDescription(countryId, random) : null,
        countryId,
        offices,
      });
      if (onMade && (id % chunk === 0 || id === this.counts.person)) onMade(id - ((id - 1) % chunk) - 1, id);
    }
    if (this.counts.person > 0) this.personPicker = new ZipfIds(this.counts.person, 0.8, random);
  }

  /** 0 to 3 other forms of the name, the surname first (it is what later mentions use). */
  private personAliases(first: string, surname: string, name: string, random: Random): string[] {
    const r = random.next();
    const wanted = r < 0.3 ? 0 : r < 0.7 ? 1 : r < 0.9 ? 2 : 3;
    const bare = surname.replace(/^(al-|El-|van |de )/, "");
    const candidates = [
      surname,
      `${first.charAt(0)}. ${surname}`,
      bare !== surname ? bare : surname.replace(/ov$/, "off").replace(/ski$/, "sky").replace(/i$/, "y"),
      `${first} ${String.fromCharCode(65 + random.below(26))}. ${surname}`,
    ];
    const aliases: string[] = [];
    for (const candidate of candidates) {
      if (aliases.length >= wanted) break;
      if (candidate !== name && !aliases.includes(candidate)) aliases.push(candidate);
    }
    return aliases;
  }

  private personDescription(countryId: number | null, random: Random): string {
    const place = countryId === null ? this.city(random) : this.countries[countryId - 1].name;
    const expertise = random.pick(V.EXPERTISE);
    const role = random.pick(V.PERSON_ROLES);
    const r = random.next();
    if (r < 0.5) return `${place}-based ${expertise} ${role}`;
    if (r < 0.8) return `${capitalize(expertise)} ${role} from ${place}`;
    return `Former ${expertise} ${role}`;
  }

  private office(personCountryId: number | null, stateTitles: ZipfList<string>, random: Random): Office {
    const organizationId = this.organizations.length > 0 && (this.countries.length === 0 || random.chance(0.55)) ? this.officeOrganization(personCountryId, random) : null;
    let title: string;
    let countryId: number | null;
    if (organizationId !== null) {
      const organization = this.organizations[organizationId - 1];
      title = ORGANIZATION_TITLE_LISTS[organization.kind].pick(random);
      countryId = random.chance(0.1) ? organization.countryId : null;
    } else if (this.countries.length > 0) {
      countryId = personCountryId ?? this.pickCountry(random);
      title = this.fill(stateTitles.pick(random), random);
    } else {
      countryId = null;
      title = "Spokesperson";
    }
    let startDate: string | null = null;
    let endDate: string | null = null;
    let endYear: number | null = null;
    if (random.chance(0.65)) {
      const startYear = random.between(1975, 2023);
      startDate = partialDate(startYear, random);
      // The end is always in a later year than the start, so it can never precede it whatever
      // the precision of either; an end past 2025 would be in the future, so the office is open.
      if (random.chance(0.45)) {
        const year = startYear + random.between(1, 12);
        if (year <= 2025) {
          endYear = year;
          endDate = partialDate(year, random);
        }
      }
    } else if (random.chance(0.12)) {
      endYear = random.between(1980, 2024);
      endDate = partialDate(endYear, random);
    }
    return { title, organizationId, countryId, startDate, endDate, endYear };
  }

  /** Mostly an organization of the person's own country, as in real careers. */
  private officeOrganization(personCountryId: number | null, random: Random): number | null {
    const local = personCountryId === null ? undefined : this.organizationsByCountry.get(personCountryId);
    if (local && random.chance(0.65)) return random.pick(local);
    return this.pickOrganization(random);
  }
}

/** Two- and three-letter codes from the name's letters where free, as ISO codes mostly are. */
function uniqueCode(letters: string, length: 2 | 3, taken: Set<string>): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const first = letters.charAt(0) || "X";
  const candidates: string[] = [letters.slice(0, length)];
  for (let i = 1; i < letters.length; i += 1) {
    if (length === 2) candidates.push(first + letters[i]);
    else for (let j = i + 1; j < letters.length; j += 1) candidates.push(first + letters[i] + letters[j]);
  }
  for (const candidate of candidates) {
    if (candidate.length === length && !taken.has(candidate)) {
      taken.add(candidate);
      return candidate;
    }
  }
  // Every code from the name is taken: any free one, first letter kept when possible.
  for (const a of [first, ...alphabet]) {
    for (const b of alphabet) {
      for (const c of length === 3 ? alphabet : [""]) {
        const code = a + b + c;
        if (!taken.has(code)) {
          taken.add(code);
          return code;
        }
      }
    }
  }
  throw new Error("out of country codes");
}

/** A real date at year, month or day precision (days stop at 28, so every month has them). */
function partialDate(year: number, random: Random): string {
  const r = random.next();
  if (r < 0.35) return String(year);
  const month = pad2(random.between(1, 12));
  if (r < 0.65) return `${year}-${month}`;
  return `${year}-${month}-${pad2(random.between(1, 28))}`;
}

const ORGANIZATION_TITLE_LISTS = Object.fromEntries(
  Object.entries(V.ORGANIZATION_TITLES).map(([kind, titles]) => [kind, new ZipfList(titles, 1)]),
) as Record<OrganizationKind, ZipfList<string>>;

const OBJECTS = new ZipfList(V.OBJECTS, 1);
const VERBS = new ZipfList(V.VERBS, 0.9);
const DIRECT_SUBJECTS = new ZipfList(V.DIRECT_SUBJECTS, 0.8);
const DIRECT_MODALS = new ZipfList(V.DIRECT_MODALS, 0.8);
const COMPLEMENTS = new ZipfList(V.COMPLEMENTS, 0.7);
const IDIOMS = new ZipfList(V.IDIOMS, 1);
const FRAGMENTS = new ZipfList(V.FRAGMENTS, 0.9);
const REPORTED_SUBJECTS = new ZipfList(V.REPORTED_SUBJECTS, 0.8);
const REPORT_THAT = new ZipfList(V.REPORT_THAT, 1);
const FILLERS = new ZipfList(V.FILLERS, 0.5);
/** Drops the negation after "nobody" and "no one", which would make a double negative. */
function modal(subject: string, verb: string): string {
  if (!/^no(body| one)$/i.test(subject)) return verb;
  return NEGATIONS[verb] ?? verb.replace(/ (not|never)$/, "");
}

const NEGATIONS: Record<string, string> = { cannot: "can", "won’t": "will", "can’t": "can" };

const OPENERS = ["Frankly, ", "In our view, ", "As we have said many times, ", "Let me be clear: ", "Today, ", "Of course, "];

// --- Articles -------------------------------------------------------------------------------

/** The article text under construction, tracking its length so spans get their offsets. */
class Body {
  private readonly parts: string[] = [];
  length = 0;
  private sentencesLeft = 0;

  add(text: string): void {
    this.parts.push(text);
    this.length += text.length;
  }

  /** Appends text and returns its offsets: `body.slice(start, end) === text`. */
  span(text: string): [number, number] {
    const start = this.length;
    this.add(text);
    return [start, this.length];
  }

  /** Separates the next sentence from the last: a space, or a blank line every one to three sentences. */
  nextSentence(random: Random): void {
    if (this.sentencesLeft === 0) {
      this.add("\n\n");
      this.sentencesLeft = random.between(1, 3);
    } else {
      this.add(" ");
    }
    this.sentencesLeft -= 1;
  }

  toString(): string {
    return this.parts.join("");
  }
}

interface PositionFact {
  personId: number;
  office: Office;
  placed: boolean;
}

type Speaker =
  | { type: "person"; id: number }
  | { type: "country"; id: number }
  | { type: "organization"; id: number }
  | { type: "nobody" };

type Event = { kind: "position"; fact: PositionFact } | { kind: "quote"; speaker: Speaker; direct: boolean };

/** How the article refers to a speaker; `evidence` set when the words state one of their offices. */
interface Reference {
  text: string;
  evidence: PositionFact | null;
  /** An appositive ("Name, head of the X") needs a comma before the verb that follows. */
  appositive: boolean;
}

/** Numbers per quote in `ArticleBatch.quoteNumbers`: direct (1) or not (0), speaker, speaker country, speaker organization, article, start and end offsets. */
export const QUOTE_NUMBERS = 7;

/** A row of the `position` table: id, personId, title, organizationId, countryId, startDate, endDate, articleId, startOffset, endOffset, createdAt, updatedAt. */
export type PositionRow = [number, number, string, number | null, number | null, string | null, string | null, number, number, number, string, string];

/**
 * Consecutive articles and their facts, compact to send between threads: the articles in columns
 * (strings in arrays), the quotes as numbers in a typed array (0 for a null id, since ids start at
 * 1), the few positions as rows. A quote's text is not sent at all: it is the slice of its
 * article's body between its offsets. Article and quote ids are consecutive from the `first…Id`
 * fields; every row's `createdAt` and `updatedAt` is its article's `stamp`.
 */
export interface ArticleBatch {
  firstArticleId: number;
  url: string[];
  title: string[];
  publisher: string[];
  byline: Array<string | null>;
  publishedAt: string[];
  body: string[];
  stamp: string[];
  positions: PositionRow[];
  firstQuoteId: number;
  quoteNumbers: Int32Array;
}

/** An empty batch with room for exactly `quotes` quotes. */
export function newArticleBatch(firstArticleId: number, firstQuoteId: number, quotes: number): ArticleBatch {
  return {
    firstArticleId,
    url: [],
    title: [],
    publisher: [],
    byline: [],
    publishedAt: [],
    body: [],
    stamp: [],
    positions: [],
    firstQuoteId,
    quoteNumbers: new Int32Array(quotes * QUOTE_NUMBERS),
  };
}

export class ArticleWriter {
  private readonly random: Random;
  private readonly publishers: ZipfList<string>;
  private readonly headlineVerbs = new ZipfList(V.HEADLINE_VERBS, 0.8);
  private readonly headlineTopics = new ZipfList(V.HEADLINE_TOPICS, 0.8);
  private nextPositionId = 1;
  private nextQuoteId = 1;
  // Per-article state, reset by `write`.
  private body = new Body();
  private mentioned = new Set<number>();
  private pending = new Map<number, PositionFact[]>();
  private batch: ArticleBatch = newArticleBatch(1, 1, 0);
  /** The texts of the current batch's quotes, in id order (the batch itself does not carry them). */
  quoteTexts: string[] = [];
  private quotesInBatch = 0;
  private articleId = 0;
  private year = 0;
  private stamp = "";

  constructor(
    private readonly world: World,
    seed: number,
  ) {
    this.random = new Random(streamSeed(seed, "articles"));
    this.publishers = new ZipfList(world.publishers, 0.9);
  }

  /** Splits `total` over `parts` articles unevenly (exponential weights), summing exactly to `total`. */
  spread(total: number, parts: number): Int32Array {
    const weights = new Float64Array(parts);
    let sum = 0;
    for (let i = 0; i < parts; i += 1) {
      weights[i] = 0.3 + 0.7 * this.random.exponential();
      sum += weights[i];
    }
    const counts = new Int32Array(parts);
    let cumulative = 0;
    let assigned = 0;
    for (let i = 0; i < parts; i += 1) {
      cumulative += weights[i];
      const upTo = i === parts - 1 ? total : Math.round((cumulative / sum) * total);
      counts[i] = upTo - assigned;
      assigned = upTo;
    }
    return counts;
  }

  /** The id the next quote will get. */
  get nextQuote(): number {
    return this.nextQuoteId;
  }

  /** Starts filling `batch`, whose first article is the next one `write` will be asked for. */
  startBatch(batch: ArticleBatch): void {
    this.batch = batch;
    this.quoteTexts = [];
    this.quotesInBatch = 0;
  }

  /** Checks that the batch got exactly the quotes it was sized for, and returns it. */
  finishBatch(): ArticleBatch {
    const batch = this.batch;
    if (this.quotesInBatch * QUOTE_NUMBERS !== batch.quoteNumbers.length) {
      throw new Error(`article batch from ${batch.firstArticleId} has ${this.quotesInBatch} quotes, not as planned`);
    }
    return batch;
  }

  /** Writes one article with exactly that many quotes and positions, appending all of it to the batch. */
  write(articleId: number, quoteCount: number, positionCount: number): void {
    const random = this.random;
    const world = this.world;
    this.body = new Body();
    this.mentioned = new Set();
    this.pending = new Map();
    this.articleId = articleId;

    const day = new Date(Date.UTC(2000, 0, 1) + random.below(9132) * 86_400_000);
    const publishedAt = day.toISOString().slice(0, 10);
    this.year = day.getUTCFullYear();
    this.stamp = `${publishedAt} ${pad2(random.between(5, 22))}:${pad2(random.below(60))}:${pad2(random.below(60))}`;
    const publisher = this.publishers.pick(random);
    const title = this.headline();
    const r = random.next();
    const byline = r < 0.55 ? `${random.pick(V.FIRST_NAMES)} ${random.pick(V.SURNAME_HEADS)}${random.pick(V.SURNAME_TAILS)}` : r < 0.85 ? random.pick(V.WIRE_BYLINES) : null;
    const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    const domain = publisher.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    const url = `https://${domain}.example/${publishedAt.replace(/-/g, "/")}/${slug}-a${articleId}`;

    // The article's cast: the people it quotes, and the states and bodies it attributes words to.
    const people = world.people.length;
    const cast: number[] = [];
    if (people > 0) {
      const size = Math.min(12, 1 + Math.floor(Math.sqrt(quoteCount + positionCount)));
      for (let i = 0; i < size; i += 1) {
        const id = world.pickPerson(random);
        if (!cast.includes(id)) cast.push(id);
      }
    }
    const castCountries: number[] = [];
    const castOrganizations: number[] = [];
    for (let i = random.between(1, 3); i > 0; i -= 1) {
      const c = world.pickCountry(random);
      if (c !== null) castCountries.push(c);
      const o = world.pickOrganization(random);
      if (o !== null) castOrganizations.push(o);
    }

    const events: Event[] = [];
    for (let i = 0; i < positionCount; i += 1) {
      // Half the offices belong to people the article quotes, half to anyone, so that offices
      // spread over the whole population instead of piling up on the most quoted people.
      const personId = random.chance(0.5) ? random.pick(cast) : 1 + random.below(people);
      const offices = world.people[personId - 1].offices;
      const office = offices.length === 1 || random.chance(0.7) ? offices[0] : random.pick(offices);
      const fact: PositionFact = { personId, office, placed: false };
      const list = this.pending.get(personId);
      if (list) list.push(fact);
      else this.pending.set(personId, [fact]);
      events.push({ kind: "position", fact });
    }
    for (let i = 0; i < quoteCount; i += 1) {
      events.push({ kind: "quote", speaker: this.speaker(cast, castCountries, castOrganizations), direct: random.chance(0.6) });
    }
    random.shuffle(events);

    const body = this.body;
    body.add(`# ${title}\n\n`);
    if (byline !== null) body.add(`By ${byline}\n\n`);
    body.add(`${V.MONTHS[day.getUTCMonth()]} ${pad2(day.getUTCDate())}, ${this.year}`);
    const lead = events.length === 0 ? random.between(3, 8) : random.between(1, 2);
    for (let i = 0; i < lead; i += 1) this.filler();
    for (const event of events) {
      if (event.kind === "position") {
        if (!event.fact.placed) this.positionSentence(event.fact);
      } else {
        this.quoteSentence(event.speaker, event.direct);
      }
      if (random.chance(0.25)) this.filler();
    }
    body.add("\n");

    const batch = this.batch;
    batch.url.push(url);
    batch.title.push(title);
    batch.publisher.push(publisher);
    batch.byline.push(byline);
    batch.publishedAt.push(publishedAt);
    batch.body.push(body.toString());
    batch.stamp.push(this.stamp);
  }

  private headline(): string {
    const random = this.random;
    const subject = this.world.countries.length > 0 ? this.world.countryName(random) : this.world.city(random);
    const event = this.world.fill(random.pick(V.HEADLINE_EVENTS), random);
    return `${subject} ${this.headlineVerbs.pick(random)} ${this.world.fill(this.headlineTopics.pick(random), random)}${event}`;
  }

  /** Mostly a person of the cast; else a state, a body or nobody named (as the seed has all four). */
  private speaker(cast: number[], countries: number[], organizations: number[]): Speaker {
    const random = this.random;
    const r = random.next();
    if (r < 0.85 && cast.length > 0) return { type: "person", id: cast[Math.min(cast.length - 1, Math.floor(cast.length * random.next() * random.next()))] };
    if (r < 0.91 && countries.length > 0) return { type: "country", id: random.pick(countries) };
    if (r < 0.97 && organizations.length > 0) return { type: "organization", id: random.pick(organizations) };
    if (cast.length > 0 && random.chance(0.5)) return { type: "person", id: random.pick(cast) };
    return { type: "nobody" };
  }

  private filler(): void {
    this.body.nextSentence(this.random);
    this.body.add(this.world.fill(FILLERS.pick(this.random), this.random));
  }

  /** The person's name, in full at the first mention and by their short name afterwards. */
  private personName(personId: number): string {
    const person = this.world.people[personId - 1];
    if (this.mentioned.has(personId)) return person.shortName;
    this.mentioned.add(personId);
    return person.name;
  }

  /** Words stating an office: "Foreign Minister Ivan Petrov", "Petrov, head of the X Council". */
  private evidence(fact: PositionFact): Reference {
    const random = this.random;
    const name = this.personName(fact.personId);
    const office = fact.office;
    const former = office.endYear !== null && office.endYear < this.year ? "former " : "";
    fact.placed = true;
    const list = this.pending.get(fact.personId);
    if (list) {
      list.splice(list.indexOf(fact), 1);
      if (list.length === 0) this.pending.delete(fact.personId);
    }
    if (office.organizationId !== null) {
      const organization = this.world.organizations[office.organizationId - 1];
      if (random.chance(0.7)) {
        return { text: `${name}, ${former}${office.title.toLowerCase()} of ${withArticle(organization.name)}`, evidence: fact, appositive: true };
      }
      const label = organization.aliases.length > 0 && /^[A-Z]+$/.test(organization.aliases[0]) && random.chance(0.5) ? organization.aliases[0] : organization.name.replace(/^The /, "");
      return { text: `${former}${label} ${office.title} ${name}`, evidence: fact, appositive: false };
    }
    if (office.countryId !== null && random.chance(0.3)) {
      return { text: `${this.world.countries[office.countryId - 1].name}’s ${former}${office.title} ${name}`, evidence: fact, appositive: false };
    }
    return { text: `${former}${office.title} ${name}`, evidence: fact, appositive: false };
  }

  private reference(speaker: Speaker): Reference {
    const random = this.random;
    switch (speaker.type) {
      case "person": {
        const waiting = this.pending.get(speaker.id);
        if (waiting && random.chance(0.6)) return this.evidence(waiting[0]);
        return { text: this.personName(speaker.id), evidence: null, appositive: false };
      }
      case "country": {
        const name = this.world.countries[speaker.id - 1].name;
        const r = random.next();
        return { text: r < 0.6 ? name : r < 0.8 ? `the government of ${name}` : `${name}’s foreign ministry`, evidence: null, appositive: false };
      }
      case "organization": {
        const organization = this.world.organizations[speaker.id - 1];
        const alias = organization.aliases[0];
        return { text: alias !== undefined && random.chance(0.4) ? alias : withArticle(organization.name), evidence: null, appositive: false };
      }
      default:
        return { text: random.pick(V.ANONYMOUS_SOURCES), evidence: null, appositive: false };
    }
  }

  /** Writes a reference, recording the position it states if it states one. */
  private writeReference(reference: Reference, atSentenceStart: boolean): void {
    const text = atSentenceStart ? capitalize(reference.text) : reference.text;
    if (reference.evidence === null) {
      this.body.add(text);
      return;
    }
    const [start, end] = this.body.span(text);
    this.addPosition(reference.evidence, start, end);
  }

  private addPosition(fact: PositionFact, start: number, end: number): void {
    const office = fact.office;
    this.batch.positions.push([
      this.nextPositionId++,
      fact.personId,
      office.title,
      office.organizationId,
      office.countryId,
      office.startDate,
      office.endDate,
      this.articleId,
      start,
      end,
      this.stamp,
      this.stamp,
    ]);
  }

  private positionSentence(fact: PositionFact): void {
    const random = this.random;
    this.body.nextSentence(random);
    const reference = this.evidence(fact);
    const opener = random.chance(0.2) ? `On ${random.pick(V.WEEKDAYS)}, ` : "";
    this.body.add(opener);
    this.writeReference(reference, opener === "");
    this.body.add(`${reference.appositive ? "," : ""} ${this.world.fill(random.pick(V.PREDICATES), random)}.`);
  }

  private quoteSentence(speaker: Speaker, direct: boolean): void {
    const random = this.random;
    const body = this.body;
    body.nextSentence(random);
    const reference = this.reference(speaker);
    const comma = reference.appositive ? "," : "";
    let span: [number, number];
    let text: string;
    const r = random.next();
    if (direct) {
      if (r < 0.45) {
        // “We will not accept the sanctions,” Petrov said. / … said Petrov.
        text = `${this.core()},`;
        body.add("“");
        span = body.span(text);
        body.add("” ");
        if (random.chance(0.5)) {
          this.writeReference(reference, false);
          body.add(`${comma} said.`);
        } else {
          body.add("said ");
          this.writeReference(reference, false);
          body.add(".");
        }
      } else if (r < 0.8) {
        // Petrov said: “The ceasefire must hold. We will not negotiate under fire.”
        text = random.chance(0.25) ? `${this.core()}. ${this.core()}.` : `${this.core()}.`;
        this.writeReference(reference, true);
        body.add(`${comma} said: “`);
        span = body.span(text);
        body.add("”");
      } else {
        // Petrov described the offensive as “a dangerous escalation.”
        const fragment = FRAGMENTS.pick(random);
        const closed = random.chance(0.5);
        text = closed ? `${fragment}.` : fragment;
        this.writeReference(reference, true);
        body.add(`${comma} described the ${random.pick(V.FRAGMENT_TARGETS)} as “`);
        span = body.span(text);
        body.add(closed ? "”" : `” on ${random.pick(V.WEEKDAYS)}.`);
      }
    } else if (r < 0.5 && speaker.type !== "nobody") {
      // Petrov warned that the talks would not resume without preconditions.
      text = this.reportedPhrase();
      this.writeReference(reference, true);
      body.add(`${comma} `);
      span = body.span(text);
      body.add(".");
    } else {
      // The government would block the sanctions, Petrov said. / …, according to Western diplomats.
      text = this.reportedClause();
      span = body.span(text);
      if (speaker.type === "nobody" || random.chance(0.2)) {
        body.add(", according to ");
        this.writeReference(reference, false);
        body.add(".");
      } else if (random.chance(0.5)) {
        body.add(", said ");
        this.writeReference(reference, false);
        body.add(".");
      } else {
        body.add(", ");
        this.writeReference(reference, false);
        body.add(`${comma} said.`);
      }
    }
    const batch = this.batch;
    const at = this.quotesInBatch * QUOTE_NUMBERS;
    const numbers = batch.quoteNumbers;
    numbers[at] = direct ? 1 : 0;
    numbers[at + 1] = speaker.type === "person" ? speaker.id : 0;
    numbers[at + 2] = speaker.type === "country" ? speaker.id : 0;
    numbers[at + 3] = speaker.type === "organization" ? speaker.id : 0;
    numbers[at + 4] = this.articleId;
    numbers[at + 5] = span[0];
    numbers[at + 6] = span[1];
    this.quoteTexts.push(text);
    this.quotesInBatch += 1;
    this.nextQuoteId += 1;
  }

  /** A spoken sentence without its final punctuation: "We will not accept a military solution". */
  private core(): string {
    const random = this.random;
    if (random.chance(0.12)) return IDIOMS.pick(random);
    let subject = DIRECT_SUBJECTS.pick(random);
    let opener = "";
    if (random.chance(0.15)) {
      opener = random.pick(OPENERS);
      if (subject !== "I") subject = subject.charAt(0).toLowerCase() + subject.slice(1);
    }
    let sentence = `${opener}${subject} ${modal(subject, DIRECT_MODALS.pick(random))} ${VERBS.pick(random)} ${OBJECTS.pick(random)}${this.world.fill(COMPLEMENTS.pick(random), random)}`;
    const r = random.next();
    if (r < 0.2) sentence += `, because ${random.pick(V.REASONS)}`;
    else if (r < 0.28) sentence += ` and ${DIRECT_MODALS.pick(random)} ${VERBS.pick(random)} ${OBJECTS.pick(random)}`;
    return sentence;
  }

  /** Reported speech as a verb phrase: "warned that the talks would not resume in Dorvik". */
  private reportedPhrase(): string {
    const random = this.random;
    const complement = this.world.fill(COMPLEMENTS.pick(random), random);
    const r = random.next();
    if (r < 0.5) {
      const subject = REPORTED_SUBJECTS.pick(random);
      return `${REPORT_THAT.pick(random)} ${subject} ${modal(subject, random.pick(V.PAST_MODALS))} ${VERBS.pick(random)} ${OBJECTS.pick(random)}${complement}`;
    }
    if (r < 0.75) return `${random.pick(V.REPORT_OBJECT)} ${OBJECTS.pick(random)}${complement}`;
    return `${random.pick(V.REPORT_TO)} ${VERBS.pick(random)} ${OBJECTS.pick(random)}${complement}`;
  }

  /** Reported speech as a sentence: "The government would block the sanctions". */
  private reportedClause(): string {
    const random = this.random;
    const subject = REPORTED_SUBJECTS.pick(random);
    return `${capitalize(subject)} ${modal(subject, random.pick(V.PAST_MODALS))} ${VERBS.pick(random)} ${OBJECTS.pick(random)}${this.world.fill(COMPLEMENTS.pick(random), random)}`;
  }
}

