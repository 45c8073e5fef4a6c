/**
 * Countries by name, alternative spelling, demonym and capital, from the world-countries
 * package (ISO 3166-1 codes and English demonyms, kept up to date by its maintainers), plus the
 * few forms wire copy uses that the package lacks ("U.S.", "Turkey", "Britain").
 */
import worldCountries from "world-countries";

/** One way of naming a country in text. */
export interface CountryForm {
  alpha2: string;
  /** `name` for a name or spelling, `demonym` for "Russian(s)", `capital` for a metonym ("Moscow"). */
  via: "name" | "demonym" | "capital" | "code";
}

/** A country as the extractor names it. */
export interface CountryInfo {
  alpha2: string;
  alpha3: string;
  name: string;
}

const EXTRA_NAMES: Readonly<Record<string, string>> = {
  "U.S.": "US", "U.S.A.": "US", America: "US", "United States of America": "US", "U.K.": "GB",
  Britain: "GB", "Great Britain": "GB", Turkey: "TR", "Ivory Coast": "CI", Holland: "NL",
  "Czech Republic": "CZ", Burma: "MM", "South Korea": "KR", "North Korea": "KP", "Emirates": "AE",
  "UAE": "AE",
};

/** Names wire copy prefers to the package's common name. */
const PREFERRED_NAMES: Readonly<Record<string, string>> = { TR: "Turkey", CZ: "Czech Republic" };

const forms = new Map<string, CountryForm>();
const demonymOf = new Map<string, string>();
const byCode = new Map<string, CountryInfo>();

function add(text: string, form: CountryForm): void {
  if (text.length < 2 || forms.has(text)) return;
  forms.set(text, form);
}

// Independent UN members first, so that "French" and "American" name France and the United States.
const ordered = [...worldCountries].sort((a, b) => Number(b.unMember) - Number(a.unMember));
for (const c of ordered) {
  byCode.set(c.cca2, { alpha2: c.cca2, alpha3: c.cca3, name: PREFERRED_NAMES[c.cca2] ?? c.name.common });
  add(c.name.common, { alpha2: c.cca2, via: "name" });
  add(c.name.official, { alpha2: c.cca2, via: "name" });
  for (const alt of c.altSpellings) {
    // Two-letter codes ("US") are codes; other alternative spellings must be plain Latin words.
    if (/^[A-Z]{2,3}$/.test(alt)) {
      if (alt.length === 3 || alt === "US" || alt === "UK") add(alt, { alpha2: c.cca2, via: "code" });
    } else if (/^[A-Z][A-Za-z' -]+$/.test(alt)) add(alt, { alpha2: c.cca2, via: "name" });
  }
  const dem = c.demonyms?.eng;
  if (dem) {
    for (const d of [dem.m, dem.f]) {
      if (!d || !/^[A-Z]/.test(d)) continue;
      add(d, { alpha2: c.cca2, via: "demonym" });
      if (!demonymOf.has(c.cca2)) demonymOf.set(c.cca2, d);
      add(d.endsWith("s") ? d : `${d}s`, { alpha2: c.cca2, via: "demonym" });
    }
  }
  for (const cap of c.capital ?? []) add(cap, { alpha2: c.cca2, via: "capital" });
}
for (const [text, code] of Object.entries(EXTRA_NAMES)) forms.set(text, { alpha2: code, via: text.includes(".") ? "code" : "name" });
// Words that are country forms in the package but far more often something else in news copy.
for (const ambiguous of ["Jersey", "Chad", "Jordan", "Georgia", "Turkey", "Guinea", "Dominica", "Washington D.C."]) {
  if (ambiguous === "Turkey") continue;
  forms.delete(ambiguous);
}
forms.set("Washington", { alpha2: "US", via: "capital" });
forms.set("Saudi", { alpha2: "SA", via: "demonym" });
forms.set("Saudis", { alpha2: "SA", via: "demonym" });
forms.set("Saudi Arabian", { alpha2: "SA", via: "demonym" });

const escaped = [...forms.keys()].sort((a, b) => b.length - a.length).map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
const FORM_RE = new RegExp(`(?<![\\p{L}\\p{N}.-])(?:${escaped.join("|")})(?![\\p{L}\\p{N}])`, "gu");

/** A country form found in the body. */
export interface CountryHit extends CountryForm {
  start: number;
  end: number;
  text: string;
}

/** Every country form in `text` (offsets relative to `text`), longest match first. */
export function findCountryForms(text: string): CountryHit[] {
  const out: CountryHit[] = [];
  FORM_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = FORM_RE.exec(text)) !== null) {
    const form = forms.get(m[0]);
    if (form) out.push({ ...form, start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  return out;
}

/** The country form `text` is exactly, if any. */
export function countryForm(text: string): CountryForm | undefined {
  return forms.get(text) ?? forms.get(text.replace(/[’']s$/, ""));
}

/** ISO codes and the name the extractor uses for a country. */
export function countryInfo(alpha2: string): CountryInfo | undefined {
  return byCode.get(alpha2);
}

/** The alpha-2 code of a country given by its alpha-3 code. */
export function alpha2Of(alpha3: string): string | undefined {
  for (const info of byCode.values()) if (info.alpha3 === alpha3) return info.alpha2;
  return undefined;
}

/** The English demonym of a country ("AZ" → "Azerbaijani"), if the package has one. */
export function countryDemonym(alpha2: string): string | null {
  return demonymOf.get(alpha2) ?? null;
}
