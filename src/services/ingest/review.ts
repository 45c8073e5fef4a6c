import type { Store } from "../../storage/store";
import { fromGlobalIdOfType, toGlobalId } from "../../model/global-id";
import { Article, Candidate, CandidateStatus, CandidateType, Proposal, ProposalStatus, QuoteKind, OrganizationKind } from "../../entities";
import { normalizeUrl } from "../../entities/common";
import { InputValidationError, NotFoundError, ValidationProblem } from "../../errors";
import { validateInputWith } from "../../inputs/validate-input";
import { AddArticleInput } from "../../inputs/article.input";
import { AddArticleCountryInput } from "../../inputs/country.input";
import { AddArticleOrganizationInput } from "../../inputs/organization.input";
import { AddArticlePersonInput } from "../../inputs/person.input";
import { AddArticlePositionInput } from "../../inputs/position.input";
import { AddArticleQuoteInput } from "../../inputs/quote.input";
import { CountryRefInput, EvidenceOffsetsInput, OrganizationRefInput, PersonRefInput } from "../../inputs/common.input";
import { Candidate as Extracted, EntityCandidate, Extraction, Gazetteer, PositionCandidate, QuoteCandidate } from "../../ingest/types";
import { insertArticle } from "../editing/articles";
import { addFacts, ArticleFacts, refProblems } from "../editing/add-article";
import { EditableType, EditSession, Row } from "../editing/session";

/** A proposal row as stored. */
export type ProposalRow = Proposal & Row;
type ArticleRow = Article & Row;
/** A candidate row as stored. */
export type CandidateRow = Candidate & Row;

/** The article fields of a proposal, as `proposeArticle` takes them (already validated). */
export interface ProposedArticle {
  url: string;
  title: string;
  publisher: string;
  byline?: string | null;
  publishedAt: string;
  language?: string | null;
  body: string;
}

/** An editor's correction of one candidate, applied when it is accepted. */
export interface CandidateOverride {
  /** The candidate's database ID. */
  candidateId: number;
  /** Link an entity candidate to this existing record instead (its database ID), or null to create a new one. */
  linkId?: number | null;
  /** The type of the record `linkId` names (from its global ID), which must be the candidate's. */
  linkType?: string;
  /** A quote's speaker: this existing person (database ID), or null for none. */
  speakerId?: number | null;
  /** A new evidence span. */
  startOffset?: number;
  endOffset?: number;
  /** A new name (entities) or title (positions). */
  name?: string;
}

/**
 * What the gazetteer depends on, in one cheap statement: per table, the row count, the highest
 * ID and the latest change (indexed columns), so any insert, delete or update of a person,
 * organization, country or position changes it, and nothing else does.
 */
const GAZETTEER_VERSION = ["person", "organization", "country", "position"]
  .map((table) => `(SELECT COUNT(*) || ':' || COALESCE(MAX(id), 0) || ':' || COALESCE(CAST(MAX("updatedAt") AS TEXT), '') FROM "${table}")`)
  .join(" || '/' || ");

/** The gazetteer last read from each open database, with the version it was read at. */
const gazetteers = new WeakMap<Store, { version: string; gazetteer: Gazetteer }>();

/**
 * The knowledge base as the extractor sees it: every person with their aliases and titles, every
 * organization and country. It is read again only when one of those tables changed, not on every
 * write: proposals are writes too, and `npm run ingest` proposes one article after another.
 */
export async function readGazetteer(db: Store): Promise<Gazetteer> {
  const version = String((await db.get<{ v: string }>(`SELECT ${GAZETTEER_VERSION} AS v`))?.v);
  const cached = gazetteers.get(db);
  if (cached?.version === version) return cached.gazetteer;
  const titles = new Map<number, string[]>();
  for (const row of await db.all<{ personId: number; title: string }>(`SELECT DISTINCT "personId", title FROM "position" ORDER BY "personId", title`)) {
    const list = titles.get(row.personId) ?? [];
    list.push(row.title);
    titles.set(row.personId, list);
  }
  const aliases = (value: unknown): string[] => JSON.parse(String(value ?? "[]")) as string[];
  const gazetteer: Gazetteer = {
    people: (
      await db.all<{ id: number; name: string; aliases: string; countryId: number | null }>(`SELECT id, name, aliases, "countryId" FROM "person" ORDER BY id`)
    ).map((row) => ({ id: row.id, name: row.name, aliases: aliases(row.aliases), countryId: row.countryId, titles: titles.get(row.id) ?? [] })),
    organizations: (
      await db.all<{ id: number; name: string; aliases: string; kind: string; countryId: number | null }>(`SELECT id, name, aliases, kind, "countryId" FROM "organization" ORDER BY id`)
    ).map((row) => ({ ...row, aliases: aliases(row.aliases) })),
    countries: await db.all<{ id: number; name: string; alpha2: string | null; alpha3: string | null }>(`SELECT id, name, alpha2, alpha3 FROM "country" ORDER BY id`),
  };
  gazetteers.set(db, { version, gazetteer });
  return gazetteer;
}

/** The candidate types in the order their records must be created (what refers comes after what it refers to). */
const CREATION_ORDER: Array<[keyof Extraction, CandidateType]> = [
  ["countries", CandidateType.COUNTRY],
  ["organizations", CandidateType.ORGANIZATION],
  ["people", CandidateType.PERSON],
  ["positions", CandidateType.POSITION],
  ["quotes", CandidateType.QUOTE],
];

/** The record type a candidate type becomes. */
const RECORD_TYPE: Record<CandidateType, EditableType> = {
  COUNTRY: "Country",
  ORGANIZATION: "Organization",
  PERSON: "Person",
  POSITION: "Position",
  QUOTE: "Quote",
};

/** The record type a candidate becomes or is linked to, for its `record` and `link` fields. */
export function recordTypeOf(type: CandidateType): EditableType {
  return RECORD_TYPE[type];
}

/** The span a candidate stands on: an entity's first mention, a position's or quote's evidence. */
function spanOf(candidate: Extracted): { start: number; end: number } {
  if (candidate.type === "POSITION" || candidate.type === "QUOTE") return candidate.evidence;
  return candidate.mentions[0] ?? { start: 0, end: 0 };
}

/**
 * Refuses a URL that is already an article or the URL of a pending proposal: a re-proposed URL
 * is refused, naming what holds it, rather than merged silently.
 */
async function assertNewUrl(session: EditSession, url: string): Promise<void> {
  const [article] = await session.select<{ id: number }>(`SELECT id FROM "article" WHERE url = ?`, [url]);
  if (article) {
    throw new InputValidationError([
      { field: "input.url", rule: "unique", message: `an article with this URL is already in the knowledge base (${toGlobalId("Article", article.id)})` },
    ]);
  }
  const [pending] = await session.select<{ id: number }>(`SELECT id FROM "proposal" WHERE url = ? AND status = ?`, [url, ProposalStatus.PENDING]);
  if (pending) {
    throw new InputValidationError([
      {
        field: "input.url",
        rule: "unique",
        message: `a proposal for this URL is already waiting for review (${toGlobalId("Proposal", pending.id)}): accept or reject it first`,
      },
    ]);
  }
}

/** Stores a proposal and its candidates, all pending. */
export async function storeProposal(session: EditSession, article: ProposedArticle, extraction: Extraction): Promise<ProposalRow> {
  const url = normalizeUrl(article.url);
  await assertNewUrl(session, url);
  const id = await session.insertDraft(Proposal, {
    url,
    title: article.title.trim(),
    publisher: article.publisher.trim(),
    byline: article.byline?.trim() || null,
    publishedAt: article.publishedAt,
    language: article.language ?? "en",
    body: article.body,
    status: ProposalStatus.PENDING,
    proposedBy: session.editor,
    articleId: null,
  });
  const rows: Array<Record<string, unknown>> = [];
  for (const [list, type] of CREATION_ORDER) {
    for (const candidate of extraction[list] as Extracted[]) {
      const span = spanOf(candidate);
      rows.push({
        proposalId: id,
        key: candidate.key,
        type,
        status: CandidateStatus.PENDING,
        rule: candidate.rule,
        confidence: Math.min(1, Math.max(0, candidate.confidence)),
        startOffset: span.start,
        endOffset: span.end,
        data: JSON.stringify(candidate),
        recordId: null,
      });
    }
  }
  await session.insertDrafts(Candidate, rows);
  return loadProposal(session, id, "input.proposalId");
}

async function loadProposal(session: EditSession, id: number, field: string): Promise<ProposalRow> {
  const [row] = await session.select<ProposalRow>(`SELECT * FROM "proposal" WHERE id = ?`, [id]);
  if (!row) throw new NotFoundError(`${field}: there is no proposal with the ID "${toGlobalId("Proposal", id)}"`, field);
  return row;
}

/** Each row's parsed candidate: the review and the API's fields read it several times per row. */
const parsedRows = new WeakMap<CandidateRow, Extracted>();

/** The extractor's candidate kept in a row, parsed once per row object. */
function extracted(row: CandidateRow): Extracted {
  let candidate = parsedRows.get(row);
  if (!candidate) {
    candidate = JSON.parse(row.data) as Extracted;
    parsedRows.set(row, candidate);
  }
  return candidate;
}

/** The keys of the entity candidates a candidate refers to, by role; `required` ones must exist for it to be accepted. */
function dependencies(candidate: Extracted): Array<{ role: string; key: string; required: boolean }> {
  const out: Array<{ role: string; key: string | null; required: boolean }> = [];
  if (candidate.type === "POSITION") {
    out.push({ role: "person", key: candidate.personKey, required: true });
    out.push({ role: "organization", key: candidate.organizationKey, required: false });
    out.push({ role: "country", key: candidate.countryKey, required: false });
  } else if (candidate.type === "QUOTE") {
    out.push({ role: "speaker", key: candidate.speakerKey, required: false });
    out.push({ role: "speakerOrganization", key: candidate.speakerOrganizationKey, required: false });
    out.push({ role: "speakerCountry", key: candidate.speakerCountryKey, required: false });
  } else {
    out.push({ role: "country", key: candidate.countryKey, required: false });
    out.push({ role: "parent", key: candidate.parentKey, required: false });
  }
  return out.filter((d): d is { role: string; key: string; required: boolean } => d.key !== null);
}

/** The candidates a candidate refers to, by role, for the API's `references` field. */
export function candidateReferences(row: CandidateRow): Array<{ role: string; key: string }> {
  return dependencies(extracted(row)).map(({ role, key }) => ({ role, key }));
}

/** What the API shows of a candidate's proposed content: its name, title or text. */
export function candidateLabel(row: CandidateRow): string {
  const candidate = extracted(row);
  if (candidate.type === "QUOTE") return candidate.text;
  if (candidate.type === "POSITION") return candidate.title;
  return candidate.name;
}

/** The existing record an entity candidate was linked to by the extractor, with why. */
export function candidateLink(row: CandidateRow): { id: number; matchedBy: string } | null {
  const candidate = extracted(row);
  return candidate.type === "POSITION" || candidate.type === "QUOTE" ? null : candidate.link;
}

/** The extractor's whole candidate, for the API's `details` field. */
export function candidateDetails(row: CandidateRow): Record<string, unknown> {
  return extracted(row) as unknown as Record<string, unknown>;
}

/** Where a synthesized `addFacts` entry came from, to name the candidate in error messages. */
interface Origin {
  list: keyof ArticleFacts;
  candidate: CandidateRow;
}

/** Rewrites `input.people[2].name` into `candidates["<id>"].name` for the candidate behind entry 2. */
function renameProblems(problems: readonly ValidationProblem[], origins: Origin[]): ValidationProblem[] {
  return problems.map((problem) => {
    const match = /^input\.(countries|organizations|people|positions|quotes)\[(\d+)\](.*)$/.exec(problem.field);
    if (!match) return problem;
    const origin = origins.filter((o) => o.list === match[1])[Number(match[2])];
    if (!origin) return problem;
    return { ...problem, field: `candidates["${toGlobalId("Candidate", origin.candidate.id)}"]${match[3]}` };
  });
}

/**
 * Refuses corrections that would be ignored or would point at the wrong record: an override of a
 * candidate that is not being accepted, a field that does not apply to the candidate's type, a
 * name for a candidate that stays linked, and a link to a record of another type or to none. The
 * extractor's own links are checked too: a record may have been deleted since the proposal.
 */
async function checkOverrides(
  session: EditSession,
  overrideOf: ReadonlyMap<number, CandidateOverride>,
  fieldOf: ReadonlyMap<number, string>,
  byId: ReadonlyMap<number, CandidateRow>,
  chosen: ReadonlySet<number>,
): Promise<void> {
  const problems: ValidationProblem[] = [];
  for (const [id, override] of overrideOf) {
    const row = byId.get(id) as CandidateRow;
    const field = fieldOf.get(id) as string;
    const entity = row.type !== CandidateType.POSITION && row.type !== CandidateType.QUOTE;
    if (!chosen.has(id)) {
      problems.push({ field: `${field}.candidateId`, rule: "accepted", message: "the candidate is not being accepted by this call (or was accepted before), so nothing would use the correction" });
      continue;
    }
    const wrong = (name: string, applies: string): void => {
      problems.push({ field: `${field}.${name}`, rule: "appliesTo", message: `\`${name}\` corrects ${applies}, not a ${row.type.toLowerCase()}` });
    };
    if (override.speakerId !== undefined && row.type !== CandidateType.QUOTE) wrong("speaker", "a quote");
    if (override.startOffset !== undefined && entity) wrong("evidence", "a position or a quote");
    if (override.name !== undefined && row.type === CandidateType.QUOTE) wrong("name", "a person, organization, country or position");
    if (override.linkId !== undefined && !entity) wrong("link", "a person, organization or country");
    if (override.linkId !== undefined && override.linkId !== null && entity) {
      const type = RECORD_TYPE[row.type];
      if (override.linkType !== type) {
        problems.push({ field: `${field}.link`, rule: "linkType", message: `a ${row.type.toLowerCase()} candidate links to a ${type}, not to a ${override.linkType ?? "record of another type"}` });
      } else if (!(await session.find(type, override.linkId))) {
        problems.push({ field: `${field}.link`, rule: "exists", message: `there is no ${type} with the ID "${toGlobalId(type, override.linkId)}"` });
      }
    }
    const stillLinked = override.linkId === undefined ? candidateLink(row) !== null : override.linkId !== null;
    if (override.name !== undefined && entity && stillLinked) {
      problems.push({ field: `${field}.name`, rule: "linked", message: "a linked candidate is the existing record, whose name stays: give link: null to create a new record with this name" });
    }
  }
  for (const id of chosen) {
    const row = byId.get(id) as CandidateRow;
    const link = candidateLink(row);
    if (!link || overrideOf.get(id)?.linkId !== undefined) continue;
    const type = RECORD_TYPE[row.type];
    if (!(await session.find(type, link.id))) {
      problems.push({
        field: `candidates["${toGlobalId("Candidate", id)}"]`,
        rule: "exists",
        message: `the ${type} it was linked to (${toGlobalId(type, link.id)}) no longer exists: give an override with another link, or link: null`,
      });
    }
  }
  if (problems.length > 0) throw new InputValidationError(problems);
}

/** What accepting candidates did. */
export interface Acceptance {
  proposal: ProposalRow;
  /** The candidates accepted by this call, including the entity candidates they needed. */
  accepted: CandidateRow[];
}

/**
 * Accepts candidates of a proposal (all pending ones when `ids` is "all"): creates the
 * proposal's article if this is the first acceptance, then the records, through the same path
 * and checks as `addArticle`, each logged in the edit log under the editor's name. An accepted
 * position or quote brings the entity candidates it refers to along (unless rejected: an optional
 * reference is then left out, a position's person is required). An entity candidate linked to an
 * existing record creates nothing and refers to that record. Refused as a whole if anything is.
 */
export async function acceptCandidates(
  session: EditSession,
  proposalId: number,
  ids: readonly number[] | "all",
  overrides: readonly CandidateOverride[],
): Promise<Acceptance> {
  const proposal = await loadProposal(session, proposalId, "input.proposalId");
  if (proposal.status === ProposalStatus.REJECTED) {
    throw new InputValidationError([{ field: "input.proposalId", rule: "pending", message: "the proposal was rejected; propose the article again" }]);
  }
  const rows = await session.select<CandidateRow>(`SELECT * FROM "candidate" WHERE "proposalId" = ? ORDER BY id`, [proposalId]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const byKey = new Map(rows.map((row) => [row.key, row]));
  const problems: ValidationProblem[] = [];
  const known = (id: number, field: string): CandidateRow | undefined => {
    const row = byId.get(id);
    if (!row) problems.push({ field, rule: "candidateOfProposal", message: `there is no candidate "${toGlobalId("Candidate", id)}" in this proposal` });
    return row;
  };
  const requested = ids === "all" ? rows.filter((row) => row.status === CandidateStatus.PENDING) : ids.map((id, i) => known(id, `input.candidateIds[${i}]`));
  const overrideOf = new Map<number, CandidateOverride>();
  const overrideField = new Map<number, string>();
  overrides.forEach((override, i) => {
    const field = `input.overrides[${i}]`;
    if (!known(override.candidateId, `${field}.candidateId`)) return;
    if (overrideOf.has(override.candidateId)) {
      problems.push({ field: `${field}.candidateId`, rule: "uniqueOverride", message: "the candidate already has an override: give all its corrections in one" });
      return;
    }
    overrideOf.set(override.candidateId, override);
    overrideField.set(override.candidateId, field);
  });
  if (problems.length > 0) throw new InputValidationError(problems);

  // The closure: what is asked for and the pending entity candidates it refers to.
  const chosen = new Set<number>();
  const visit = (row: CandidateRow, field: string): void => {
    if (row.status === CandidateStatus.ACCEPTED || chosen.has(row.id)) return;
    chosen.add(row.id);
    for (const dependency of dependencies(extracted(row))) {
      if (dependency.role === "speaker" && overrideOf.get(row.id)?.speakerId !== undefined) continue;
      const target = byKey.get(dependency.key);
      if (!target) continue;
      if (target.status === CandidateStatus.REJECTED) {
        if (dependency.required) {
          problems.push({
            field,
            rule: "acceptedDependency",
            message: `its ${dependency.role} "${toGlobalId("Candidate", target.id)}" was rejected: accept that candidate first`,
          });
        }
        continue;
      }
      visit(target, field);
    }
  };
  requested.forEach((row, i) => {
    if (row) visit(row, ids === "all" ? `candidates["${toGlobalId("Candidate", row.id)}"]` : `input.candidateIds[${i}]`);
  });
  if (problems.length > 0) throw new InputValidationError(problems);
  const toAccept = rows.filter((row) => chosen.has(row.id));
  await checkOverrides(session, overrideOf, overrideField, byId, chosen);
  if (toAccept.length === 0) return { proposal, accepted: [] };

  const facts: Required<ArticleFacts> = { countries: [], organizations: [], people: [], positions: [], quotes: [] };
  const origins: Origin[] = [];
  /** The record each entity candidate is or becomes, as a ref input. */
  const refOf = (key: string | null, type: EditableType): { id?: string; ref?: string } | null => {
    if (key === null) return null;
    const target = byKey.get(key);
    if (!target || target.status === CandidateStatus.REJECTED) return null;
    if (target.status === CandidateStatus.ACCEPTED && target.recordId !== null) return { id: toGlobalId(type, target.recordId) };
    const link = linkOf(target);
    if (link !== null) return { id: toGlobalId(type, link) };
    return chosen.has(target.id) ? { ref: key } : null;
  };
  const linkOf = (row: CandidateRow): number | null => {
    const override = overrideOf.get(row.id);
    if (override && override.linkId !== undefined) return override.linkId;
    return candidateLink(row)?.id ?? null;
  };
  const asRef = <T extends object>(Class: new () => T, value: { id?: string; ref?: string } | null): T | null =>
    value === null ? null : Object.assign(new Class(), value);
  const evidence = (row: CandidateRow, span: { start: number; end: number }): EvidenceOffsetsInput => {
    const override = overrideOf.get(row.id);
    return Object.assign(new EvidenceOffsetsInput(), { startOffset: override?.startOffset ?? span.start, endOffset: override?.endOffset ?? span.end });
  };
  const add = <K extends keyof ArticleFacts>(list: K, entry: NonNullable<ArticleFacts[K]>[number], candidate: CandidateRow): void => {
    (facts[list] as unknown[]).push(entry);
    origins.push({ list, candidate });
  };

  for (const row of toAccept) {
    const candidate = extracted(row);
    const override = overrideOf.get(row.id);
    if (candidate.type === "POSITION") {
      const position = candidate as PositionCandidate;
      add(
        "positions",
        Object.assign(new AddArticlePositionInput(), {
          person: asRef(PersonRefInput, refOf(position.personKey, "Person")),
          title: override?.name ?? position.title,
          organization: asRef(OrganizationRefInput, refOf(position.organizationKey, "Organization")),
          country: asRef(CountryRefInput, refOf(position.countryKey, "Country")),
          startDate: null,
          endDate: null,
          evidence: evidence(row, position.evidence),
        }),
        row,
      );
    } else if (candidate.type === "QUOTE") {
      const quote = candidate as QuoteCandidate;
      const ev = evidence(row, quote.evidence);
      const speakerOverride = override?.speakerId;
      add(
        "quotes",
        Object.assign(new AddArticleQuoteInput(), {
          text: quote.kind === QuoteKind.DIRECT || ev.startOffset !== quote.evidence.start || ev.endOffset !== quote.evidence.end
            ? proposalSlice(proposal, ev)
            : quote.text,
          kind: quote.kind === "DIRECT" ? QuoteKind.DIRECT : QuoteKind.PARAPHRASE,
          speaker:
            speakerOverride !== undefined
              ? asRef(PersonRefInput, speakerOverride === null ? null : { id: toGlobalId("Person", speakerOverride) })
              : asRef(PersonRefInput, refOf(quote.speakerKey, "Person")),
          speakerOrganization: asRef(OrganizationRefInput, refOf(quote.speakerOrganizationKey, "Organization")),
          speakerCountry: asRef(CountryRefInput, refOf(quote.speakerCountryKey, "Country")),
          evidence: ev,
        }),
        row,
      );
    } else if (linkOf(row) === null) {
      const entity = candidate as EntityCandidate;
      const name = override?.name ?? entity.name;
      const aliases = entity.aliases.filter((alias) => alias !== name);
      if (entity.type === "COUNTRY") {
        add("countries", Object.assign(new AddArticleCountryInput(), { ref: row.key, name, alpha2: entity.alpha2, alpha3: entity.alpha3, wikidataId: null }), row);
      } else if (entity.type === "ORGANIZATION") {
        const kind = Object.values(OrganizationKind).includes(entity.organizationKind as OrganizationKind) ? (entity.organizationKind as OrganizationKind) : OrganizationKind.OTHER;
        add(
          "organizations",
          Object.assign(new AddArticleOrganizationInput(), {
            ref: row.key,
            name,
            aliases,
            kind,
            description: entity.description,
            country: asRef(CountryRefInput, refOf(entity.countryKey, "Country")),
            parent: asRef(OrganizationRefInput, refOf(entity.parentKey, "Organization")),
            wikidataId: null,
          }),
          row,
        );
      } else {
        add(
          "people",
          Object.assign(new AddArticlePersonInput(), {
            ref: row.key,
            name,
            aliases,
            description: entity.description,
            country: asRef(CountryRefInput, refOf(entity.countryKey, "Country")),
            wikidataId: null,
          }),
          row,
        );
      }
    }
  }

  try {
    // The same input `addArticle` takes, checked by the same rules (refs included).
    const input = Object.assign(new AddArticleInput(), {
      url: proposal.url,
      title: proposal.title,
      publisher: proposal.publisher,
      byline: proposal.byline,
      publishedAt: proposal.publishedAt,
      language: proposal.language,
      body: proposal.body,
      ...facts,
    });
    await validateInputWith(refProblems)(input);
    const existing = proposal.articleId === null ? null : await session.find<ArticleRow>("Article", proposal.articleId);
    const article = existing ?? (await insertArticle(session, input));
    const added = await addFacts(session, article, input);
    const created: Record<keyof ArticleFacts, Array<{ id: number }>> = added;
    const counters: Record<string, number> = {};
    const recordIds = new Map<number, number>();
    for (const origin of origins) {
      const index = (counters[origin.list] = (counters[origin.list] ?? -1) + 1);
      recordIds.set(origin.candidate.id, created[origin.list][index].id);
    }
    for (const row of toAccept) {
      const recordId = recordIds.get(row.id) ?? linkOf(row);
      await session.updateDrafts(Candidate, [row.id], { status: CandidateStatus.ACCEPTED, recordId });
    }
    await settle(session, proposalId, article.id);
  } catch (error) {
    if (error instanceof InputValidationError) throw new InputValidationError(renameProblems(error.problems, origins));
    throw error;
  }
  const accepted = await session.select<CandidateRow>(
    `SELECT * FROM "candidate" WHERE id IN (${toAccept.map(() => "?").join(",") || "NULL"}) ORDER BY id`,
    toAccept.map((row) => row.id),
  );
  return { proposal: await loadProposal(session, proposalId, "input.proposalId"), accepted };
}

function proposalSlice(proposal: ProposalRow, evidence: EvidenceOffsetsInput): string {
  return proposal.body.slice(evidence.startOffset, evidence.endOffset);
}

/** Records the proposal's article, and marks it decided once no candidate is pending. */
async function settle(session: EditSession, proposalId: number, articleId: number | null): Promise<void> {
  const [counts] = await session.select<{ pending: number; accepted: number }>(
    `SELECT COUNT(CASE WHEN status = ? THEN 1 END) AS pending, COUNT(CASE WHEN status = ? THEN 1 END) AS accepted FROM "candidate" WHERE "proposalId" = ?`,
    [CandidateStatus.PENDING, CandidateStatus.ACCEPTED, proposalId],
  );
  const status = (counts?.pending ?? 0) > 0 ? ProposalStatus.PENDING : (counts?.accepted ?? 0) > 0 || articleId !== null ? ProposalStatus.ACCEPTED : ProposalStatus.REJECTED;
  await session.updateDrafts(Proposal, [proposalId], articleId === null ? { status } : { status, articleId });
}

/**
 * Rejects pending candidates of a proposal (all of them when `ids` is "all", which rejects the
 * proposal). An accepted candidate is in the knowledge base already and is refused here: delete
 * its record instead.
 */
export async function rejectCandidates(session: EditSession, proposalId: number, ids: readonly number[] | "all"): Promise<{ proposal: ProposalRow; rejected: CandidateRow[] }> {
  const proposal = await loadProposal(session, proposalId, "input.proposalId");
  const rows = await session.select<CandidateRow>(`SELECT * FROM "candidate" WHERE "proposalId" = ? ORDER BY id`, [proposalId]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const problems: ValidationProblem[] = [];
  const chosen =
    ids === "all"
      ? rows.filter((row) => row.status === CandidateStatus.PENDING)
      : ids.flatMap((id, i) => {
          const row = byId.get(id);
          if (!row) {
            problems.push({ field: `input.candidateIds[${i}]`, rule: "candidateOfProposal", message: `there is no candidate "${toGlobalId("Candidate", id)}" in this proposal` });
            return [];
          }
          if (row.status === CandidateStatus.ACCEPTED) {
            problems.push({
              field: `input.candidateIds[${i}]`,
              rule: "pending",
              message: `the candidate was accepted and is in the knowledge base as ${toGlobalId(RECORD_TYPE[row.type], row.recordId ?? 0)}: delete that record instead`,
            });
            return [];
          }
          return [row];
        });
  if (problems.length > 0) throw new InputValidationError(problems);
  await session.updateDrafts(
    Candidate,
    chosen.map((row) => row.id),
    { status: CandidateStatus.REJECTED },
  );
  await settle(session, proposalId, proposal.articleId);
  const rejected = chosen.length
    ? await session.select<CandidateRow>(`SELECT * FROM "candidate" WHERE id IN (${chosen.map(() => "?").join(",")}) ORDER BY id`, chosen.map((row) => row.id))
    : [];
  return { proposal: await loadProposal(session, proposalId, "input.proposalId"), rejected };
}

/** Decodes candidate IDs of the API into database IDs (BAD_USER_INPUT for a malformed one). */
export function candidateIds(ids: readonly string[], argument: string): number[] {
  return ids.map((id, i) => fromGlobalIdOfType(id, "Candidate", `${argument}[${i}]`));
}
