/**
 * Linking candidates to records already in the knowledge base, each link with its reason.
 * A person is linked by full name or alias, or by a single surname only when exactly one known
 * person has it; two people with the same surname and different first names are never merged.
 */
import type { ExistingLink, Gazetteer, KnownPerson } from "../types";
import { countryInfo } from "./countries";
import { nameKey, type Entity } from "./entities";
import { earliest, indexOf } from "./gazetteer-index";

/** The known person an extracted person is, if any. */
export function linkPerson(e: Entity, gazetteer: Gazetteer): ExistingLink | null {
  const index = indexOf(gazetteer);
  const key = nameKey(e.name);
  const exact = index.peopleByName.get(key)?.[0];
  // Found only by a known person's surname ("Lavrov"): the link says so.
  if (exact) return { id: exact.id, matchedBy: e.rule === "known-person-surname" ? "surname" : "name" };
  const forms = [...e.forms].map(nameKey);
  const byAlias = earliest(index, index.peopleByNameOrAlias, forms);
  if (byAlias) return { id: byAlias.id, matchedBy: "alias" };
  if (!e.name.includes(" ")) {
    const bySurname: KnownPerson[] = index.peopleBySurnameKey.get(key) ?? [];
    if (bySurname.length === 1 && bySurname[0]) return { id: bySurname[0].id, matchedBy: "surname" };
    // Several known people share the surname: an office named in the article decides.
    const byTitle = bySurname.filter((p) => p.titles.some((t) => e.titles.includes(t.toLowerCase())));
    if (byTitle.length === 1 && byTitle[0]) return { id: byTitle[0].id, matchedBy: "title" };
  }
  return null;
}

/** The known organization an extracted one is, if any. */
export function linkOrganization(e: Entity, gazetteer: Gazetteer): ExistingLink | null {
  const index = indexOf(gazetteer);
  const key = nameKey(e.name);
  const exact = index.organizationsByName.get(key)?.[0];
  if (exact) return { id: exact.id, matchedBy: "name" };
  const forms = [...e.forms].map(nameKey);
  const byAlias = earliest(index, index.organizationsByNameOrAlias, forms);
  return byAlias ? { id: byAlias.id, matchedBy: "alias" } : null;
}

/** The known country an extracted one is: by ISO code, else by name. */
export function linkCountry(e: Entity, gazetteer: Gazetteer, onlyDemonym: boolean): ExistingLink | null {
  const info = e.alpha2 ? countryInfo(e.alpha2) : undefined;
  const index = indexOf(gazetteer);
  const byAlpha2 = earliest(index, index.countriesByAlpha2, e.alpha2 ? [e.alpha2] : []);
  const byAlpha3 = earliest(index, index.countriesByAlpha3, info ? [info.alpha3] : []);
  const at = (c: object): number => index.order.get(c) ?? Infinity;
  const byCode = byAlpha2 && byAlpha3 ? (at(byAlpha2) <= at(byAlpha3) ? byAlpha2 : byAlpha3) : (byAlpha2 ?? byAlpha3);
  if (byCode) return { id: byCode.id, matchedBy: onlyDemonym ? "demonym" : nameKey(byCode.name) === nameKey(info?.name ?? "") ? "name" : "code" };
  const byName = index.countriesByName.get(nameKey(info?.name ?? e.name))?.[0];
  return byName ? { id: byName.id, matchedBy: "name" } : null;
}
