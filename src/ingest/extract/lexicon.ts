/**
 * Word lists the rules share. They describe English news style (titles, cue verbs, the heads of
 * organization names), not any one article; the well-known organizations are the kind of
 * gazetteer every newsroom tool ships, and anything else must be found from the text.
 */

/**
 * A lexicon keyed by words of the article: an object without a prototype, so that a word such as
 * "constructor" or "toString" is not found in it by `in` or by indexing.
 */
export function lexicon<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

/** Verbs (and phrases) that report speech, by lower-case form. */
export const CUE_VERBS: ReadonlySet<string> = new Set([
  "said", "says", "say", "told", "tells", "tell", "added", "adds", "warned", "warns", "warning",
  "stressed", "insisted", "argued", "noted", "claimed", "claims", "announced", "acknowledged",
  "asserted", "declared", "explained", "wrote", "writes", "repeated", "urged", "urges", "vowed",
  "vows", "pledged", "promised", "called", "calls", "call", "criticized", "criticised", "condemned",
  "denied", "denies", "dismissed", "rejected", "accused", "described", "praised", "welcomed",
  "suggested", "admitted", "confirmed", "complained", "countered", "replied", "added", "saying",
  "adding", "stated", "predicted", "cautioned", "contended", "maintained",
]);

/** Cue verbs whose reported content is the whole predicate ("criticized the deal"), not a clause. */
export const ACT_VERBS: ReadonlySet<string> = new Set([
  "criticized", "criticised", "condemned", "dismissed", "rejected", "accused", "praised", "welcomed",
  "urged", "urges", "called", "denied", "denies",
]);

/** Cue verbs that take a that-clause or a bare clause ("said (that) …"). */
export const CLAUSE_VERBS: ReadonlySet<string> = new Set([
  "said", "says", "say", "told", "tells", "added", "adds", "warned", "warns", "stressed", "insisted",
  "argued", "noted", "claimed", "claims", "announced", "acknowledged", "asserted", "declared",
  "explained", "wrote", "writes", "repeated", "vowed", "pledged", "promised", "suggested", "admitted",
  "confirmed", "complained", "countered", "stated", "predicted", "cautioned", "contended", "maintained",
]);

/** Words of a title that modify its head ("Deputy Foreign Minister"). */
export const TITLE_MODIFIERS: ReadonlySet<string> = new Set([
  "deputy", "vice", "foreign", "defense", "defence", "energy", "finance", "interior", "economy",
  "economic", "trade", "justice", "health", "prime", "first", "interim", "acting", "special", "chief",
  "executive", "press", "senior", "oil", "petroleum", "education", "culture", "transport", "labor",
  "agriculture", "industry", "information", "security", "army", "military", "national", "general",
  "assistant", "associate", "managing", "state", "home", "water", "environment", "policy",
]);

/** Heads of office titles, by lower-case form. */
export const TITLE_HEADS: ReadonlySet<string> = new Set([
  "president", "minister", "secretary", "chancellor", "spokesman", "spokeswoman", "spokesperson",
  "envoy", "ambassador", "governor", "mayor", "senator", "director", "chairman", "chairwoman", "chair",
  "commander", "representative", "secretary-general", "chief", "head", "ceo", "editor-in-chief",
  "editor", "dictator", "premier", "leader", "emir", "king", "queen", "general", "executive",
  "officer", "administrator", "commissioner", "speaker", "advisor", "adviser", "rapporteur",
  "lawmaker", "legislator", "senator", "congressman", "congresswoman", "mp",
]);

/** Lower-case descriptors before a name that are not offices. */
export const NON_OFFICE: ReadonlySet<string> = new Set([
  "warlord", "strongman", "expert", "analyst", "lawyer", "wife", "son", "daughter", "husband",
  "leader", "general", "colonel", "prince", "sheikh", "king",
]);

/** Honorifics and ranks stripped from the front of a person's name. */
export const HONORIFICS: ReadonlySet<string> = new Set([
  "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "prince", "princess", "sheikh", "sheik",
  "king", "queen", "general", "gen.", "colonel", "col.", "lieutenant", "major", "sir", "lord",
  "lady", "madam", "emir", "crown", "marshal", "admiral", "captain",
]);

/** Honorifics that mark a woman, for the pronoun sieve. */
export const FEMALE_HONORIFICS: ReadonlySet<string> = new Set(["mrs", "mrs.", "ms", "ms.", "princess", "queen", "lady", "madam"]);

/** Last words that make a capitalized phrase an organization name. */
export const ORG_HEADS: ReadonlySet<string> = new Set([
  "council", "army", "organization", "organisation", "institute", "center", "centre", "ministry",
  "department", "agency", "commission", "committee", "union", "nations", "forces", "authority",
  "bank", "fund", "party", "front", "movement", "company", "corporation", "corp", "corp.", "inc",
  "inc.", "group", "systems", "association", "university", "court", "parliament", "assembly", "office",
  "service", "times", "news", "post", "alliance", "community", "federation", "league", "board",
  "studies", "countries", "states", "police", "guard", "navy", "brigade", "brigades", "foundation",
  "press", "network", "airlines", "holdings", "partners", "securities", "gazette", "gazeta",
  "journal", "tribune", "herald", "society", "cabinet", "congress", "senate", "secretariat",
  // Legal forms of companies.
  "pjsc", "ojsc", "jsc", "ag", "ltd", "ltd.", "llc", "plc", "gmbh", "nv", "se", "spa", "co.", "s.a.",
  "chamber", "commerce",
]);

/** Legal forms that end a company's full name ("Gazprom PJSC"); the name without them is an alias. */
export const LEGAL_FORMS: ReadonlySet<string> = new Set(["pjsc", "ojsc", "jsc", "ag", "ltd", "ltd.", "llc", "plc", "gmbh", "nv", "se", "spa", "co.", "s.a.", "inc", "inc.", "corp", "corp."]);

/** First words of place names ("St. Petersburg", "San Francisco"). */
export const PLACE_PREFIXES: ReadonlySet<string> = new Set(["st.", "saint", "san", "santa", "fort", "mount", "cape", "port", "lake", "sao", "são", "los", "las", "new", "el"]);

/** Kinds of organization by the head word of their name. */
export const ORG_KIND_BY_HEAD: Readonly<Record<string, string>> = lexicon({
  army: "MILITARY", forces: "MILITARY", navy: "MILITARY", guard: "MILITARY", brigade: "MILITARY",
  brigades: "MILITARY", front: "MILITARY",
  council: "GOVERNMENT", ministry: "GOVERNMENT", department: "GOVERNMENT", agency: "GOVERNMENT",
  authority: "GOVERNMENT", cabinet: "GOVERNMENT", office: "GOVERNMENT", police: "GOVERNMENT",
  parliament: "GOVERNMENT", congress: "GOVERNMENT", senate: "GOVERNMENT", court: "GOVERNMENT",
  institute: "RESEARCH", center: "RESEARCH", centre: "RESEARCH", studies: "RESEARCH",
  university: "RESEARCH", foundation: "RESEARCH", society: "RESEARCH",
  nations: "INTERGOVERNMENTAL", union: "INTERGOVERNMENTAL", alliance: "INTERGOVERNMENTAL",
  community: "INTERGOVERNMENTAL", countries: "INTERGOVERNMENTAL", states: "INTERGOVERNMENTAL",
  organization: "INTERGOVERNMENTAL", organisation: "INTERGOVERNMENTAL", commission: "INTERGOVERNMENTAL",
  league: "INTERGOVERNMENTAL",
  pjsc: "COMPANY", ojsc: "COMPANY", jsc: "COMPANY", ag: "COMPANY", ltd: "COMPANY", llc: "COMPANY", plc: "COMPANY",
  gmbh: "COMPANY", nv: "COMPANY", se: "COMPANY", spa: "COMPANY",
  company: "COMPANY", corporation: "COMPANY", corp: "COMPANY", inc: "COMPANY", group: "COMPANY",
  systems: "COMPANY", bank: "COMPANY", holdings: "COMPANY", airlines: "COMPANY", partners: "COMPANY",
  times: "MEDIA", news: "MEDIA", post: "MEDIA", gazette: "MEDIA", gazeta: "MEDIA", journal: "MEDIA",
  tribune: "MEDIA", herald: "MEDIA", press: "MEDIA", network: "MEDIA",
  party: "POLITICAL", movement: "POLITICAL",
});

/** Lower-case nouns that, next to a capitalized name, say it is an organization. */
export const ORG_NOUNS: ReadonlySet<string> = new Set([
  "company", "firm", "newspaper", "agency", "producer", "group", "bank", "broadcaster", "operator",
  "daily", "weekly", "lender", "insurer", "carrier", "exporter", "miner", "giant", "conglomerate",
  "data", "exchange", "party",
]);

/** Kinds of organization by the noun that introduced them ("the Kommersant newspaper"). */
export const ORG_KIND_BY_NOUN: Readonly<Record<string, string>> = lexicon({
  newspaper: "MEDIA", broadcaster: "MEDIA", daily: "MEDIA", weekly: "MEDIA", agency: "MEDIA", party: "POLITICAL",
});

/** A well-known organization: the gazetteer that ships with the extractor. */
export interface KnownOrg {
  name: string;
  aliases: string[];
  kind: string;
  country: string | null;
  parent: string | null;
}

/** Organizations every news desk knows by name, with the short forms wire copy uses. */
export const WELL_KNOWN_ORGS: readonly KnownOrg[] = [
  { name: "United Nations", aliases: ["UN", "U.N."], kind: "INTERGOVERNMENTAL", country: null, parent: null },
  { name: "United Nations Security Council", aliases: ["UN Security Council", "Security Council", "UNSC"], kind: "INTERGOVERNMENTAL", country: null, parent: "United Nations" },
  { name: "World Health Organization", aliases: ["WHO"], kind: "INTERGOVERNMENTAL", country: null, parent: "United Nations" },
  { name: "International Atomic Energy Agency", aliases: ["IAEA"], kind: "INTERGOVERNMENTAL", country: null, parent: null },
  { name: "International Monetary Fund", aliases: ["IMF"], kind: "INTERGOVERNMENTAL", country: null, parent: null },
  { name: "World Bank", aliases: [], kind: "INTERGOVERNMENTAL", country: null, parent: null },
  { name: "Federal Reserve", aliases: ["Fed", "U.S. Federal Reserve"], kind: "CENTRAL_BANK", country: "US", parent: null },
  { name: "European Central Bank", aliases: ["ECB"], kind: "CENTRAL_BANK", country: null, parent: null },
  { name: "Bank of England", aliases: [], kind: "CENTRAL_BANK", country: "GB", parent: null },
  { name: "Bank of Japan", aliases: ["BOJ"], kind: "CENTRAL_BANK", country: "JP", parent: null },
  { name: "European Union", aliases: ["EU"], kind: "INTERGOVERNMENTAL", country: null, parent: null },
  { name: "African Union", aliases: ["AU"], kind: "INTERGOVERNMENTAL", country: null, parent: null },
  { name: "North Atlantic Treaty Organization", aliases: ["NATO"], kind: "INTERGOVERNMENTAL", country: null, parent: null },
  { name: "Organization of the Petroleum Exporting Countries", aliases: ["OPEC"], kind: "INTERGOVERNMENTAL", country: null, parent: null },
  { name: "OPEC+", aliases: [], kind: "INTERGOVERNMENTAL", country: null, parent: null },
  { name: "Economic Community of West African States", aliases: ["ECOWAS"], kind: "INTERGOVERNMENTAL", country: null, parent: null },
  { name: "Arab League", aliases: [], kind: "INTERGOVERNMENTAL", country: null, parent: null },
  { name: "Organization for Security and Co-operation in Europe", aliases: ["OSCE"], kind: "INTERGOVERNMENTAL", country: null, parent: null },
  { name: "Kremlin", aliases: ["the Kremlin"], kind: "GOVERNMENT", country: "RU", parent: null },
  { name: "White House", aliases: ["the White House"], kind: "GOVERNMENT", country: "US", parent: null },
  { name: "Pentagon", aliases: ["the Pentagon"], kind: "GOVERNMENT", country: "US", parent: null },
  { name: "State Department", aliases: ["U.S. State Department"], kind: "GOVERNMENT", country: "US", parent: null },
  { name: "Elysee Palace", aliases: ["Elysee"], kind: "GOVERNMENT", country: "FR", parent: null },
  { name: "Downing Street", aliases: [], kind: "GOVERNMENT", country: "GB", parent: null },
  { name: "Taliban", aliases: ["the Taliban"], kind: "MILITARY", country: "AF", parent: null },
  { name: "Hamas", aliases: [], kind: "MILITARY", country: null, parent: null },
  { name: "Hezbollah", aliases: [], kind: "MILITARY", country: null, parent: null },
  { name: "Reuters", aliases: [], kind: "MEDIA", country: null, parent: null },
  { name: "Associated Press", aliases: ["AP"], kind: "MEDIA", country: null, parent: null },
  { name: "Agence France-Presse", aliases: ["AFP"], kind: "MEDIA", country: "FR", parent: null },
  { name: "Bloomberg", aliases: [], kind: "MEDIA", country: null, parent: null },
  { name: "TASS", aliases: [], kind: "MEDIA", country: "RU", parent: null },
  { name: "Interfax", aliases: [], kind: "MEDIA", country: "RU", parent: null },
  { name: "RIA Novosti", aliases: [], kind: "MEDIA", country: "RU", parent: null },
  { name: "BBC", aliases: [], kind: "MEDIA", country: "GB", parent: null },
  { name: "Al Jazeera", aliases: [], kind: "MEDIA", country: "QA", parent: null },
  { name: "Xinhua", aliases: [], kind: "MEDIA", country: "CN", parent: null },
];

/** Capitalized words that end a place name rather than a person's or organization's. */
export const PLACE_HEADS: ReadonlySet<string> = new Set([
  "dam", "sea", "river", "nile", "east", "west", "north", "south", "base", "palace", "square",
  "street", "airport", "plant", "region", "province", "island", "islands", "mountains", "gulf",
  "coast", "valley", "lake", "strait", "canal", "bay", "ocean", "desert", "peninsula", "city",
  "county", "district", "bridge", "port", "field", "fields", "pipeline", "station", "hall",
]);

/** Capitalized words that are never part of a name. */
export const NOT_NAME: ReadonlySet<string> = new Set([
  "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i",
  "his", "her", "their", "our", "while", "when", "if", "as", "but", "and", "or", "in", "on", "at",
  "for", "of", "by", "to", "from", "with", "after", "before", "since", "although", "though",
  "because", "asked", "related", "original", "both", "all", "many", "some", "one", "two", "three",
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
  "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
  "december", "analysts", "residents", "officials", "according", "western", "eastern", "northern",
  "southern", "there", "here", "what", "who", "which", "nobody", "every", "our", "african", "brent",
  "mid-april", "mid-august", "christmas", "easter", "ramadan", "islamic", "arab", "internet",
  "benchmark",
]);

/** Pronouns the pronoun sieve resolves, with the gender they need (null: any person). */
export const PERSON_PRONOUNS: Readonly<Record<string, "f" | "m" | null>> = lexicon({ he: "m", she: "f", who: null });

/** Description heads ("the minister") and the title words they fit. */
export const DESCRIPTIONS: Readonly<Record<string, readonly string[]>> = lexicon({
  minister: ["minister"],
  envoy: ["envoy", "representative", "ambassador"],
  diplomat: ["minister", "envoy", "representative", "ambassador", "diplomat"],
  official: ["minister", "secretary", "spokesman", "spokeswoman", "envoy", "representative", "director", "head", "commissioner", "official"],
  spokesman: ["spokesman", "spokesperson"],
  spokeswoman: ["spokeswoman", "spokesperson"],
  president: ["president"],
  chancellor: ["chancellor"],
  secretary: ["secretary"],
  prince: ["prince"],
  leader: ["president", "prime minister", "chancellor", "leader", "general", "commander", "head", "chairman"],
  commander: ["commander", "general"],
  ambassador: ["ambassador"],
  chairman: ["chairman", "chair"],
  executive: ["executive", "ceo"],
  premier: ["prime minister", "premier"],
});
