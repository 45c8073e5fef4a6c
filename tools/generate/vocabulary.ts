/**
 * The small vocabulary the synthetic articles are written from. Lists are ordered from the most to
 * the least frequent: the generator samples them with a Zipf distribution, so that full-text
 * search sees a realistic spread ("negotiations" everywhere, "prisoner exchange" now and then).
 * Names are invented from syllables so that no generated fact can be mistaken for a real one.
 */
import { OrganizationKind } from "../../src/entities/enums";

// --- Places -------------------------------------------------------------------------------

export const COUNTRY_HEADS = [
  "Vel", "Kas", "Dor", "Mar", "Tal", "Ost", "Bel", "Zan", "Kor", "Lum", "Nev", "Sar", "Tir", "Val",
  "Gal", "Hel", "Ar", "Bra", "Cor", "Fen", "Ist", "Jor", "Mol", "Nor", "Pra", "Rud", "Sol", "Tav",
  "Ul", "Ves", "Yar", "Zem", "Al", "Bor", "Cal", "Del", "Er", "Gor", "Kel", "Lor", "Mer", "Or",
];
export const COUNTRY_MIDDLES = ["", "a", "o", "i", "e", "ar", "en", "or", "um", "av"];
export const COUNTRY_TAILS = [
  "ia", "land", "stan", "ovia", "ania", "ara", "ea", "uay", "esh", "ino", "avia", "iria", "ova", "ica",
];
export const COUNTRY_PREFIXES = ["", "", "", "", "", "", "", "", "North ", "South ", "New ", "East ", "West "];

export const CITY_HEADS = [
  "Dor", "Kast", "Mir", "Vel", "Ost", "Bran", "Tor", "Lis", "Nor", "Sal", "Tam", "Ura", "Vin", "Yel",
  "Zor", "Ald", "Bek", "Cren", "Dal", "Esk", "Fal", "Gren", "Hav", "Ilm", "Jas", "Kol", "Lut", "Mar",
];
export const CITY_TAILS = [
  "vik", "grad", "polis", "burg", "ton", "ava", "ara", "mouth", "ford", "dal", "heim", "ora", "ez", "ino", "ach",
];

// --- People -------------------------------------------------------------------------------

export const FIRST_NAMES = [
  "Ivan", "Maria", "Ahmed", "Elena", "John", "Fatima", "Sergei", "Anna", "Mohammed", "Olga", "David",
  "Leila", "Pierre", "Sofia", "Khalid", "Natalia", "Michael", "Amira", "Dmitry", "Irina", "Omar",
  "Laura", "Yusuf", "Ingrid", "Carlos", "Hana", "Andrey", "Nadia", "Peter", "Zainab", "Vasily",
  "Claire", "Hassan", "Marta", "Luis", "Aisha", "Mikhail", "Julia", "Tariq", "Eva", "Robert",
  "Salma", "Nikolai", "Ruth", "Samir", "Katarina", "George", "Yasmin", "Pavel", "Lucía", "Ali",
  "Greta", "Jean", "Noor", "Viktor", "Chloé", "Rashid", "Mei", "Thomas", "Amal", "Boris", "Zoë",
  "Kemal", "Astrid", "Farid", "Beatriz", "Hugo", "Selin", "Oleg", "Ines", "Karim", "Björn", "Rania",
  "Tomasz", "Dalia", "Emre", "Helena", "Jamal", "Kaori", "Lars", "Mariam", "Nikos", "Oksana",
  "Rafael", "Saida", "Tobias", "Vera", "Walid", "Xenia", "Yannick", "Zeynep", "Adrian", "Bianca",
  "Cyril", "Daria", "Elias", "Farah", "Goran", "Hiba", "José", "Kofi", "Lena", "Malik", "Nina",
];

export const SURNAME_HEADS = [
  "Kor", "Vas", "Pet", "Mal", "Ben", "Hal", "Sar", "Ab", "Kar", "Lin", "Nor", "Ost", "Tan", "Wes",
  "Bog", "Dan", "Fer", "Gor", "Has", "Ib", "Jan", "Kuz", "Lav", "Mor", "Nag", "Or", "Pol", "Rah",
  "Sol", "Tor", "Um", "Vol", "Yil", "Zak", "Bar", "Cal", "Del", "Esp", "Fal", "Gal", "Hor", "Kem",
];
export const SURNAME_MIDDLES = ["", "a", "e", "i", "o", "u", "ar", "el", "in", "ov", "am", "er"];
export const SURNAME_TAILS = [
  "ov", "ova", "ski", "sen", "son", "ez", "ani", "elli", "ić", "enko", "ar", "ama", "oğlu", "i", "et",
  "berg", "ström", "is", "os", "ado", "ier", "ek", "an", "avi", "ouri",
];
export const SURNAME_PREFIXES = ["", "", "", "", "", "", "", "", "", "", "al-", "van ", "de ", "El-"];

export const EXPERTISE = [
  "Middle East", "energy", "security", "foreign policy", "defense", "economic", "Eurasia",
  "migration", "sanctions", "arms control", "human rights", "trade", "climate", "elections",
];
export const PERSON_ROLES = [
  "expert", "analyst", "official", "diplomat", "commentator", "scholar", "adviser", "negotiator", "envoy",
];

// --- Organizations -------------------------------------------------------------------------

/** How often each kind occurs among generated organizations (most frequent first). */
export const ORGANIZATION_KINDS: readonly OrganizationKind[] = [
  OrganizationKind.GOVERNMENT,
  OrganizationKind.MILITARY,
  OrganizationKind.RESEARCH,
  OrganizationKind.POLITICAL,
  OrganizationKind.MEDIA,
  OrganizationKind.COMPANY,
  OrganizationKind.NONPROFIT,
  OrganizationKind.INTERGOVERNMENTAL,
  OrganizationKind.OTHER,
];

export const MINISTRY_DOMAINS = [
  "Foreign Affairs", "Defense", "Interior", "Finance", "Energy", "Justice", "Economy", "Trade",
  "Health", "Agriculture", "Education", "Transport", "Culture", "Labor", "Environment", "Information",
];
export const AGENCIES = [
  "Presidential Administration", "State Security Service", "Central Bank", "Election Commission",
  "Border Guard Service", "Customs Service", "National Oil Company", "Statistics Office",
  "Supreme Court", "Audit Chamber", "Investigative Committee", "Emergency Ministry",
];
export const MILITARY_UNITS = [
  "Armed Forces", "National Army", "Navy", "Air Force", "National Guard", "Border Troops",
  "Special Forces", "Coast Guard", "General Staff",
];
export const RESEARCH_FIELDS = [
  "Oriental", "Strategic", "International", "Security", "Energy", "Economic", "Regional", "Defense",
  "Mediterranean", "Arab and Islamic", "Eurasian", "Development", "Policy", "Conflict",
];
export const RESEARCH_BODIES = ["Institute of", "Center for", "Council on", "Academy of", "School of"];
export const MEDIA_NOUNS = ["Herald", "Times", "Post", "Courier", "Wire", "Gazette", "Tribune", "Observer", "Daily", "Monitor"];
export const PARTY_ADJECTIVES = [
  "Democratic", "People’s", "National", "Liberal", "Social", "Green", "Progressive", "Conservative",
  "Republican", "United", "Popular", "Labor",
];
export const PARTY_NOUNS = ["Party", "Front", "Movement", "Alliance", "Union", "Congress", "Bloc"];
export const COMPANY_SECTORS = ["Energy", "Oil", "Steel", "Telecom", "Logistics", "Shipping", "Gas", "Mining", "Arms", "Grain"];
export const COMPANY_FORMS = ["Group", "Holdings", "Corporation", "Company", "Industries", "Partners"];
export const NONPROFIT_CAUSES = [
  "Human Rights", "Press Freedom", "Refugees", "Peace", "Democracy", "Transparency", "Civilians", "Children",
];
export const NONPROFIT_FORMS = ["Watch", "Foundation", "Initiative", "Network", "Committee", "Fund"];
export const REGIONS = [
  "Northern", "Southern", "Eastern", "Western", "Central", "Coastal", "Highland", "Island", "Desert",
  "Mountain", "Lake", "River", "Delta", "Steppe",
];
export const BLOC_FORMS = [
  "Union", "Cooperation Council", "Development Bank", "Security Organization", "Trade Community",
  "Parliamentary Assembly", "Energy Forum", "Peacekeeping Mission",
];
export const OTHER_FORMS = ["Chamber of Commerce", "Bar Association", "Football Federation", "Writers’ Union", "Trade Fair"];

/** Titles for offices held in an organization, by kind (most common first). */
export const ORGANIZATION_TITLES: Record<OrganizationKind, readonly string[]> = {
  [OrganizationKind.GOVERNMENT]: ["Spokesperson", "Head", "Deputy Head", "Director", "Minister", "Adviser", "Chief of Staff"],
  [OrganizationKind.MILITARY]: ["Commander", "Spokesman", "Chief of Staff", "Deputy Commander", "Field Commander", "General"],
  [OrganizationKind.RESEARCH]: ["Head", "Director", "Senior Fellow", "Researcher", "President", "Professor"],
  [OrganizationKind.MEDIA]: ["Correspondent", "Editor-in-Chief", "Columnist", "Bureau Chief", "Publisher"],
  [OrganizationKind.INTERGOVERNMENTAL]: ["Special Envoy", "Spokesperson", "Secretary-General", "Deputy Secretary-General", "Chair"],
  [OrganizationKind.POLITICAL]: ["Leader", "Spokesperson", "Chairman", "Secretary", "Founder"],
  [OrganizationKind.COMPANY]: ["Chief Executive", "Chairman", "Chief Financial Officer", "Founder"],
  [OrganizationKind.NONPROFIT]: ["Director", "Spokesperson", "Founder", "Chair"],
  [OrganizationKind.OTHER]: ["Head", "Chair", "Spokesperson", "Member"],
};

/**
 * State offices (held for a country, no organization). `{C}` is another country's name and `{T}`
 * a city's, so titles such as "Ambassador to Kastrana" stay varied.
 */
export const STATE_TITLES = [
  "Member of Parliament", "Deputy Foreign Minister", "Foreign Minister", "Ambassador to {C}",
  "Defense Minister", "Spokesman for the Foreign Ministry", "Minister of {D}", "Governor of {T}",
  "Prime Minister", "Finance Minister", "Interior Minister", "Mayor of {T}", "Special Envoy to {C}",
  "President", "Spokesman for the President", "National Security Adviser", "Deputy Prime Minister",
  "Speaker of Parliament", "Opposition Leader", "Chief of the General Staff", "Vice President",
  "Central Bank Governor", "Energy Minister", "Senator", "Chief Justice", "Dictator",
];

// --- Sentences -----------------------------------------------------------------------------

/** Subjects of direct quotes (first person and generic), all fine with a modal verb. */
export const DIRECT_SUBJECTS = [
  "We", "Nobody", "Our government", "The international community", "Both sides", "I", "They",
  "No one", "Our partners", "The people", "This country", "Everyone", "The opposition", "Our allies",
  "The army", "You", "The government", "Our neighbors",
];
export const DIRECT_MODALS = [
  "will not", "must", "cannot", "will", "should", "won’t", "can", "will never", "must not",
  "can’t", "would never", "should not", "may", "could",
];
export const VERBS = [
  "accept", "support", "reject", "discuss", "resume", "guarantee", "welcome", "respect", "end",
  "ignore", "protect", "consider", "block", "demand", "restart", "back", "observe", "recognize",
  "oppose", "delay", "finance", "monitor", "negotiate", "extend", "sign", "suspend", "review",
];
/** Objects of the verbs: the topics of the news, the first ones far more frequent. */
export const OBJECTS = [
  "the negotiations", "a military solution", "the ceasefire", "the peace process", "the sanctions",
  "the talks", "a political settlement", "the elections", "the agreement", "humanitarian access",
  "the offensive", "foreign interference", "the withdrawal of troops", "the blockade", "the reforms",
  "the arms embargo", "a transitional government", "the security guarantees", "the new constitution",
  "the prisoner exchange", "the oil exports", "the mediation effort", "the investigation",
  "the refugees", "the reconstruction", "the border crossings", "civilian casualties", "the budget",
  "the referendum", "a no-fly zone", "the trade deal", "the gas pipeline", "the nuclear program",
  "the protests", "the curfew", "the state of emergency", "the peacekeeping mission", "the air strikes",
  "the election results", "the corruption charges", "the grain corridor", "the debt restructuring",
  "the power-sharing deal", "the amnesty law", "the roadmap", "the buffer zone", "the humanitarian corridor",
];
export const COMPLEMENTS = [
  "", "", "", "", " in the coming weeks", " without preconditions", " at any cost",
  " under any circumstances", " as soon as possible", " on the ground", " in {T}", " with {C}",
  " before the end of the year", " in good faith", " for the sake of peace", " step by step",
  " whatever the pressure", " this time", " behind closed doors", " without delay",
];
export const REASONS = [
  "there is no alternative", "people are tired of war", "the economy cannot wait",
  "our security depends on it", "the alternative is chaos", "trust has been broken",
  "the situation on the ground is changing", "time is running out", "history will judge us",
  "the region needs stability",
];
/** Whole sentences that recur in real coverage, quoted often and searched for often. */
export const IDIOMS = [
  "There is no military solution to this conflict",
  "The ceasefire must hold",
  "Negotiations are the only way forward",
  "We’re not a party to this conflict",
  "The door to dialogue remains open",
  "This is a dangerous escalation",
  "Time is running out for diplomacy",
  "Sanctions have never worked",
  "Dialogue is better than war",
  "We will not negotiate under fire",
  "There is no alternative to a political settlement",
  "All options are on the table",
];
/** Short quoted fragments ("described the offensive as “a dangerous escalation.”"). */
export const FRAGMENTS = [
  "a dangerous escalation", "an act of aggression", "a red line", "terrorism", "a historic mistake",
  "a crusade", "a provocation", "unacceptable", "a humanitarian catastrophe", "a step in the right direction",
  "a victory for diplomacy", "a betrayal", "all available means", "an immediate halt", "reciprocal steps",
];
export const FRAGMENT_TARGETS = [
  "offensive", "agreement", "decision", "vote", "sanctions", "air strikes", "blockade", "talks",
  "proposal", "deal", "ultimatum", "election",
];

/** Verbs that open a paraphrase with a clause ("warned that …"). */
export const REPORT_THAT = [
  "said", "warned that", "insisted that", "argued that", "suggested that", "stressed that",
  "acknowledged that", "denied that", "signaled that", "predicted that",
];
/** Subjects of reported clauses. */
export const REPORTED_SUBJECTS = [
  "the government", "both sides", "the country", "the talks", "the opposition", "the army",
  "the parliament", "the rebels", "the coalition", "the delegation", "the authorities",
  "the international community", "no one", "the ministry", "the new cabinet",
];
export const PAST_MODALS = ["would", "would not", "could", "could not", "should", "might", "will", "will not", "must"];
/** Paraphrases that are a verb and its object ("called for …"). */
export const REPORT_OBJECT = ["called for", "criticized", "welcomed", "rejected", "praised", "condemned", "denied any role in", "questioned"];
/** Paraphrases with an infinitive ("vowed to …"). */
export const REPORT_TO = ["vowed to", "urged all sides to", "promised to", "threatened to", "offered to", "refused to"];

/** People quoted without a name: the article attributes the words to nobody in particular. */
export const ANONYMOUS_SOURCES = [
  "Western diplomats", "a senior diplomat", "officials familiar with the talks", "a government source",
  "two people with knowledge of the matter", "local media", "a person close to the negotiations",
  "military sources", "analysts",
];

/** What people in the news do (after a position's evidence: "Foreign Minister X arrived …"). */
export const PREDICATES = [
  "arrived in {T} on {W}", "held talks with officials from {C}", "is expected to visit {T} next week",
  "declined to comment on the report", "canceled a planned trip to {T}", "spoke to reporters on {W}",
  "met the delegation from {C} in {T}", "left {T} after two days of talks", "chaired an emergency meeting on {W}",
  "called the foreign minister of {C} on {W}",
];

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
export const MONTHS = [
  "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
  "November", "December",
];

/** Sentences that state no fact, between the ones that do. `{O}` is an object from `OBJECTS`. */
export const FILLERS = [
  "Fighting continued near {T} on {W}.",
  "Talks are scheduled to resume in {T} next month.",
  "{C} has been divided by rival governments for years.",
  "Dozens of people were killed in clashes near {T} last week.",
  "The dispute over {O} has dragged on for months.",
  "Oil prices rose after the news.",
  "Markets in {T} were little changed.",
  "Thousands of people have fled the fighting.",
  "A previous round of talks in {T} ended without agreement.",
  "Aid agencies have repeatedly warned of a humanitarian crisis.",
  "Diplomats say {O} will top the agenda.",
  "Neither side has commented on {O}.",
  "The government in {T} faces mounting pressure at home.",
  "Elections have been postponed twice.",
  "Flights to {T} were suspended on {W}.",
];

export const HEADLINE_VERBS = [
  "Makes Move on", "Pushes for", "Rejects", "Backs", "Warns Over", "Seeks", "Calls for", "Doubts",
  "Stalls on", "Signals Shift on",
];
export const HEADLINE_TOPICS = [
  "{C} Peace", "Ceasefire", "New Talks", "Sanctions", "Election Delay", "Trade Deal", "Aid Corridor",
  "Prisoner Swap", "Arms Embargo", "Border Deal",
];
export const HEADLINE_EVENTS = [
  "", "", " as Clashes Rage Near {T}", " as Talks Stall", " as Protests Spread", " as Deadline Nears",
  " as Crisis Deepens", " as Leaders Meet in {T}",
];

export const PUBLISHER_FORMS = ["The {T} {M}", "{C} Today", "{T} News", "The {R} {M}", "{C} Wire"];
/** Invented agencies: a synthetic article must never be credited to a real one. */
export const WIRE_BYLINES = ["Meridian Press", "Northwire", "Staff reporters", "Continental Press Agency"];
