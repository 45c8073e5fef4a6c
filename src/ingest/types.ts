/**
 * The contract between the extractor (article text in, candidate facts out) and the review
 * workflow that stores candidates in a proposal and writes accepted ones through `addArticle`.
 * Everything here is plain data: the extractor knows nothing of the database or GraphQL, and
 * the knowledge base reaches it only as a `Gazetteer`.
 */

/** A span of the article body as JavaScript string indices: `body.slice(start, end)`. */
export interface Span {
  start: number;
  end: number;
}

/** Why a candidate was linked to an existing record. */
export type MatchReason = "name" | "alias" | "surname" | "title" | "code" | "demonym";

/** A link from a candidate to a record that is already in the knowledge base. */
export interface ExistingLink {
  /** The record's database ID. */
  id: number;
  matchedBy: MatchReason;
}

/** What every candidate carries: a local key, evidence, the rule that found it and a confidence. */
export interface CandidateBase {
  /**
   * Unique within one extraction, stable for the same body and gazetteer (e.g. `person:0`,
   * `quote:3`); other candidates refer to entity candidates by this key.
   */
  key: string;
  /** The name of the rule or sieve that produced it, such as `cue-verb-after-quote`. */
  rule: string;
  /** How sure the rule is, in [0, 1]. */
  confidence: number;
}

/** A person, organization or country the article names. */
export interface EntityCandidate extends CandidateBase {
  type: "PERSON" | "ORGANIZATION" | "COUNTRY";
  /** The fullest name the article uses (or the linked record's name). */
  name: string;
  /** Every other form the article uses for it ("Haftar", "the Kremlin"), never `name` itself. */
  aliases: string[];
  /** Every place the article mentions it (names, aliases, demonyms); the first is its evidence. */
  mentions: Span[];
  /** A short description from an appositive ("a Moscow-based Middle East expert"), if any. */
  description: string | null;
  /** People and organizations: the key of the country candidate they belong to, if known. */
  countryKey: string | null;
  /** Organizations: the kind (`GOVERNMENT`, `MILITARY`, `RESEARCH`, `MEDIA`, `INTERGOVERNMENTAL`, …), if known. */
  organizationKind: string | null;
  /** Organizations: the key of the parent organization candidate, if the article says. */
  parentKey: string | null;
  /** Countries: ISO 3166-1 codes, from a well-kept package. */
  alpha2: string | null;
  alpha3: string | null;
  /** The existing record it is, or null for a new one. */
  link: ExistingLink | null;
}

/** An office a person holds, as the article states it. */
export interface PositionCandidate extends CandidateBase {
  type: "POSITION";
  personKey: string;
  /** The title as the knowledge base keeps titles ("Foreign Minister", "Spokesman for the President"). */
  title: string;
  organizationKey: string | null;
  countryKey: string | null;
  /** The sentence (or clause) that states it. */
  evidence: Span;
}

/** Words someone said, in quotation marks (DIRECT) or reported (PARAPHRASE). */
export interface QuoteCandidate extends CandidateBase {
  type: "QUOTE";
  kind: "DIRECT" | "PARAPHRASE";
  /** Verbatim, `body.slice(evidence.start, evidence.end)`, without the quotation marks. */
  text: string;
  evidence: Span;
  /** The speaking person's key, if a person said it. */
  speakerKey: string | null;
  /** The speaking organization's key ("the Kremlin said"), if an organization said it. */
  speakerOrganizationKey: string | null;
  /** The speaking country's key ("Russia said"), if a state said it. */
  speakerCountryKey: string | null;
  /** The sieve that attributed the speaker (`name-cue`, `title-name`, `pronoun`, `description`, `organization`), or null. */
  speakerRule: string | null;
}

export type Candidate = EntityCandidate | PositionCandidate | QuoteCandidate;

/** Everything extracted from one article body, each list in order of first appearance. */
export interface Extraction {
  people: EntityCandidate[];
  organizations: EntityCandidate[];
  countries: EntityCandidate[];
  positions: PositionCandidate[];
  quotes: QuoteCandidate[];
}

/** A person the knowledge base holds, as the extractor needs to know them. */
export interface KnownPerson {
  id: number;
  name: string;
  aliases: string[];
  countryId: number | null;
  /** Titles of the positions they hold ("Foreign Minister"), for description sieves. */
  titles: string[];
}

export interface KnownOrganization {
  id: number;
  name: string;
  aliases: string[];
  kind: string;
  countryId: number | null;
}

export interface KnownCountry {
  id: number;
  name: string;
  alpha2: string | null;
  alpha3: string | null;
}

/** The knowledge base as the extractor sees it: what it can link candidates to. */
export interface Gazetteer {
  people: KnownPerson[];
  organizations: KnownOrganization[];
  countries: KnownCountry[];
}
