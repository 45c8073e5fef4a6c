import { registerEnumType } from "type-graphql";

/** How a quote reproduces what was said. */
export enum QuoteKind {
  DIRECT = "DIRECT",
  PARAPHRASE = "PARAPHRASE",
}

registerEnumType(QuoteKind, {
  name: "QuoteKind",
  description: "Whether a quote gives the speaker's own words or reports them.",
  valuesConfig: {
    DIRECT: { description: "Words the article puts in quotation marks, reproduced verbatim." },
    PARAPHRASE: { description: "Reported speech: the article's own wording of what was said." },
  },
});

/** What sort of body an organization is. */
export enum OrganizationKind {
  GOVERNMENT = "GOVERNMENT",
  MILITARY = "MILITARY",
  RESEARCH = "RESEARCH",
  MEDIA = "MEDIA",
  INTERGOVERNMENTAL = "INTERGOVERNMENTAL",
  POLITICAL = "POLITICAL",
  COMPANY = "COMPANY",
  NONPROFIT = "NONPROFIT",
  OTHER = "OTHER",
}

registerEnumType(OrganizationKind, {
  name: "OrganizationKind",
  description: "The kind of an organization.",
  valuesConfig: {
    GOVERNMENT: { description: "A government, ministry, presidential administration or agency." },
    MILITARY: { description: "An armed force or military alliance." },
    RESEARCH: { description: "A research institute, think tank or university body." },
    MEDIA: { description: "A news organization or publisher." },
    INTERGOVERNMENTAL: { description: "A body whose members are states, such as the UN or NATO." },
    POLITICAL: { description: "A political party or movement." },
    COMPANY: { description: "A business." },
    NONPROFIT: { description: "A non-governmental, non-profit organization." },
    OTHER: { description: "Anything else." },
  },
});

/** How a mention was recognized in an article's text. */
export enum MentionKind {
  NAME = "NAME",
  ALIAS = "ALIAS",
  SURNAME = "SURNAME",
  DEMONYM = "DEMONYM",
}

registerEnumType(MentionKind, {
  name: "MentionKind",
  description: "How a mention was recognized in the article's text.",
  valuesConfig: {
    NAME: { description: "The record's full name, as written (\"Khalifa Haftar\")." },
    ALIAS: { description: "One of the record's aliases (\"Haftar\", \"LNA\"), or a spelling or code of a country (\"U.S.\")." },
    SURNAME: { description: "A person's surname alone (\"Lavrov\"), when no other known record goes by that word." },
    DEMONYM: { description: "A country's demonym as a word of its own (\"Russian\", \"Libyans\")." },
  },
});
