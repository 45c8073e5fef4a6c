import { fromGlobalIdOfType } from "../../model/global-id";
import { Article, Country, Organization, Person, Position, Quote } from "../../entities";
import { ValidationProblem } from "../../errors";
import { AddArticleInput } from "../../inputs/article.input";
import { insertCountry } from "./countries";
import { insertArticle } from "./articles";
import { trim } from "./consistency";
import { insertOrganization, organizationFields } from "./organizations";
import { insertPerson, personFields } from "./people";
import { insertPosition } from "./positions";
import { refreshMentions } from "./mentions";
import { insertQuote } from "./quotes";
import { EditableType, EditSession, Row } from "./session";

/** Everything `addArticle` created, in input order. */
export interface AddedArticle {
  article: Article & Row;
  countries: Array<Country & Row>;
  organizations: Array<Organization & Row>;
  people: Array<Person & Row>;
  positions: Array<Position & Row>;
  quotes: Array<Quote & Row>;
}

/** A reference input: an existing record by `id`, or a new one of the same input by `ref`. */
interface RefValue {
  id?: string | null;
  ref?: string | null;
}

/**
 * The `ref`s of one list of new records, mapped to the database IDs they were given. The input
 * was checked by `refProblems` before anything ran: every ref is unique in its list and names an
 * entry created before it is used.
 */
class Refs {
  private readonly ids = new Map<string, number>();

  constructor(private readonly type: EditableType) {}

  /** Records an entry's `ref`. */
  add(ref: string | null | undefined, id: number): void {
    if (ref !== null && ref !== undefined) this.ids.set(ref.trim(), id);
  }

  /** Resolves a reference: an existing record by `id` (which must exist), or a new one by `ref`. */
  async resolve(session: EditSession, value: RefValue | null | undefined, field: string): Promise<number | null> {
    if (value === null || value === undefined) return null;
    if (value.id !== null && value.id !== undefined) {
      const id = fromGlobalIdOfType(value.id, this.type, `${field}.id`);
      await session.load(this.type, id, `${field}.id`);
      return id;
    }
    const id = this.ids.get((value.ref ?? "").trim());
    if (id === undefined) throw new Error(`${field}.ref names no earlier entry, which refProblems refuses before anything runs`);
    return id;
  }
}

type RefList = "countries" | "organizations" | "people";

/**
 * The `ref` problems of an `addArticle` input, found from the input alone: a ref used twice in
 * one list, and a ref no entry defines (for an organization's parent, no earlier entry). They are
 * reported with the other input errors, before anything is written; `Refs` checks the same again
 * as it resolves them.
 */
export function refProblems(input: AddArticleInput): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const defined: Record<RefList, string[]> = { countries: [], organizations: [], people: [] };
  const lists: Record<RefList, Array<{ ref?: string | null }>> = {
    countries: input.countries ?? [],
    organizations: input.organizations ?? [],
    people: input.people ?? [],
  };
  for (const list of Object.keys(lists) as RefList[]) {
    for (const [i, entry] of lists[list].entries()) {
      if (typeof entry.ref !== "string") continue;
      const key = entry.ref.trim();
      if (defined[list].includes(key)) {
        problems.push({ field: `input.${list}[${i}].ref`, rule: "uniqueRef", message: `the ref "${key}" is used by two entries of ${list}` });
      }
      defined[list].push(key);
    }
  }
  const known = (value: RefValue | null | undefined, list: RefList, field: string, among = defined[list]): void => {
    if (!value || typeof value.ref !== "string" || (value.id !== null && value.id !== undefined)) return;
    const key = value.ref.trim();
    if (!among.includes(key)) problems.push({ field: `${field}.ref`, rule: "knownRef", message: `no earlier entry of ${list} has the ref "${key}"` });
  };
  const earlier: string[] = [];
  for (const [i, entry] of (input.organizations ?? []).entries()) {
    known(entry.country, "countries", `input.organizations[${i}].country`);
    known(entry.parent, "organizations", `input.organizations[${i}].parent`, earlier);
    if (typeof entry.ref === "string") earlier.push(entry.ref.trim());
  }
  for (const [i, entry] of (input.people ?? []).entries()) known(entry.country, "countries", `input.people[${i}].country`);
  for (const [i, entry] of (input.positions ?? []).entries()) {
    known(entry.person, "people", `input.positions[${i}].person`);
    known(entry.organization, "organizations", `input.positions[${i}].organization`);
    known(entry.country, "countries", `input.positions[${i}].country`);
  }
  for (const [i, entry] of (input.quotes ?? []).entries()) {
    known(entry.speaker, "people", `input.quotes[${i}].speaker`);
    known(entry.speakerCountry, "countries", `input.quotes[${i}].speakerCountry`);
    known(entry.speakerOrganization, "organizations", `input.quotes[${i}].speakerOrganization`);
  }
  return problems;
}

/**
 * Adds an article and everything it states in one transaction: new countries, then
 * organizations, people, positions and quotes, each checked by the same rules as its own
 * `createX` mutation and logged as its own edit. The first refusal aborts the whole mutation.
 */
export async function addArticle(session: EditSession, input: AddArticleInput): Promise<AddedArticle> {
  const article = await insertArticle(session, input);
  return { article, ...(await addFacts(session, article, input)) };
}

/** The facts of an `addArticle` input, without the article's own fields. */
export type ArticleFacts = Pick<AddArticleInput, "countries" | "organizations" | "people" | "positions" | "quotes">;

/**
 * Adds facts stated by an article that is already stored: new countries, then organizations,
 * people, positions and quotes, exactly as `addArticle` does after creating the article (the
 * review workflow adds accepted candidates this way, to a proposal's article).
 */
export async function addFacts(session: EditSession, article: Article & Row, input: ArticleFacts): Promise<Omit<AddedArticle, "article">> {
  const countryRefs = new Refs("Country");
  const organizationRefs = new Refs("Organization");
  const personRefs = new Refs("Person");

  const countries: AddedArticle["countries"] = [];
  for (const [i, entry] of (input.countries ?? []).entries()) {
    const field = `input.countries[${i}]`;
    const row = await insertCountry(session, entry, field);
    countryRefs.add(entry.ref, row.id);
    countries.push(row);
  }

  const organizations: AddedArticle["organizations"] = [];
  for (const [i, entry] of (input.organizations ?? []).entries()) {
    const field = `input.organizations[${i}]`;
    const row = await insertOrganization(
      session,
      {
        ...organizationFields(entry),
        countryId: await countryRefs.resolve(session, entry.country, `${field}.country`),
        parentId: await organizationRefs.resolve(session, entry.parent, `${field}.parent`),
      },
      field,
    );
    organizationRefs.add(entry.ref, row.id);
    organizations.push(row);
  }

  const people: AddedArticle["people"] = [];
  for (const [i, entry] of (input.people ?? []).entries()) {
    const field = `input.people[${i}]`;
    const row = await insertPerson(
      session,
      { ...personFields(entry), countryId: await countryRefs.resolve(session, entry.country, `${field}.country`) },
      field,
    );
    personRefs.add(entry.ref, row.id);
    people.push(row);
  }

  const positions: AddedArticle["positions"] = [];
  for (const [i, entry] of (input.positions ?? []).entries()) {
    const field = `input.positions[${i}]`;
    positions.push(
      await insertPosition(
        session,
        {
          personId: (await personRefs.resolve(session, entry.person, `${field}.person`)) as number,
          title: trim(entry.title),
          organizationId: await organizationRefs.resolve(session, entry.organization, `${field}.organization`),
          countryId: await countryRefs.resolve(session, entry.country, `${field}.country`),
          startDate: entry.startDate ?? null,
          endDate: entry.endDate ?? null,
          articleId: article.id,
          startOffset: entry.evidence.startOffset,
          endOffset: entry.evidence.endOffset,
        },
        field,
      ),
    );
  }

  const quotes: AddedArticle["quotes"] = [];
  for (const [i, entry] of (input.quotes ?? []).entries()) {
    const field = `input.quotes[${i}]`;
    quotes.push(
      await insertQuote(
        session,
        {
          text: entry.text,
          kind: entry.kind,
          speakerId: await personRefs.resolve(session, entry.speaker, `${field}.speaker`),
          speakerCountryId: await countryRefs.resolve(session, entry.speakerCountry, `${field}.speakerCountry`),
          speakerOrganizationId: await organizationRefs.resolve(session, entry.speakerOrganization, `${field}.speakerOrganization`),
          articleId: article.id,
          startOffset: entry.evidence.startOffset,
          endOffset: entry.evidence.endOffset,
        },
        field,
      ),
    );
  }

  // The article's mentions, with the names it has just added and its new quotes and positions.
  await refreshMentions(session, article.id, article.body);

  return { countries, organizations, people, positions, quotes };
}
