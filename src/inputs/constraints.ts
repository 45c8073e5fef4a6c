/**
 * The validation rules of the mutation inputs, as class-validator decorators. Each field's rules
 * are one decorator (`Rules.name`, `Rules.wikidataId`…) so that the create, update and
 * `addArticle` inputs cannot drift apart; a `Presence` says whether the field must be there.
 *
 * Rule names (the `rule` of a validation error) are class-validator's constraint names
 * (`maxLength`, `isUrl`…) or the custom ones defined here (`isNotBlank`, `isWikidataId`…).
 */
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsISO31661Alpha2,
  IsISO31661Alpha3,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  Min,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  ValidationArguments,
  ValidationOptions,
} from "class-validator";
import { fromGlobalIdOfType } from "../model/global-id";
import { NodeTypeName } from "../sql/tables";
import { trimText } from "../entities/common";

/** Longest names, titles and aliases. */
export const MAX_NAME = 200;
/** Longest descriptions. */
export const MAX_DESCRIPTION = 1000;
/** Most aliases per person or organization. */
export const MAX_ALIASES = 50;
/** Longest article headline. */
export const MAX_HEADLINE = 500;
/** Longest URL. */
export const MAX_URL = 2048;
/** Longest article body, in UTF-16 code units (the HTTP body limit of 1 MB comes first in practice). */
export const MAX_BODY = 1_000_000;
/** Longest quote. */
export const MAX_QUOTE = 10_000;
/** Longest `clientMutationId`. */
export const MAX_CLIENT_MUTATION_ID = 200;
/** Most entries in each list of `addArticle`. */
export const MAX_BATCH = 500;

/**
 * Whether a field must be given:
 * - `required`: non-null in the schema (GraphQL enforces presence; the rules check the value);
 * - `optional`: may be left out or null (null clears it on update);
 * - `unchanged`: an update field for a column that cannot be null: leave it out to keep the value,
 *   and null is refused (`notNull`).
 */
export type Presence = "required" | "optional" | "unchanged";

type Rule = PropertyDecorator;

function custom(name: string, message: string, test: (value: unknown, args: ValidationArguments) => boolean, options?: ValidationOptions): Rule {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message, ...options },
      validator: { validate: (value: unknown, args: ValidationArguments) => test(value, args) },
    });
}

/** Refuses null for an update field whose column is not nullable. */
const NotNull = (): Rule =>
  custom("notNull", "$property cannot be null; leave it out to keep the current value", (value) => value !== null);

/** Requires a non-whitespace character: names are trimmed before they are stored. */
const IsNotBlank = (options?: ValidationOptions): Rule =>
  custom("isNotBlank", "$property must not be empty or only whitespace", (value) => typeof value === "string" && trimText(value).length > 0, options);

/** A Wikidata item ID: `Q` and digits, no leading zero (Russia is `Q159`). */
const IsWikidataId = (): Rule =>
  custom("isWikidataId", "$property must be a Wikidata item ID: Q followed by digits, such as Q159", (value) =>
    typeof value === "string" && /^Q[1-9][0-9]{0,11}$/.test(value),
  );

/** A BCP 47 language tag in its common shapes (`en`, `pt-BR`, `zh-Hant-TW`). */
const IsLanguageTag = (): Rule =>
  custom("isLanguageTag", "$property must be a BCP 47 language tag, such as en or pt-BR", (value) =>
    typeof value === "string" && value.length <= 35 && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(value),
  );

/** A global ID of one type, as returned in `id` fields; with `allowMissing`, null and undefined pass. */
export const IsGlobalIdOf = (typeName: NodeTypeName, options: { allowMissing?: boolean } = {}): Rule =>
  custom("isGlobalId", `$property must be the ID of a ${typeName}`, (value) => {
    if (options.allowMissing && (value === null || value === undefined)) return true;
    if (typeof value !== "string") return false;
    try {
      fromGlobalIdOfType(value, typeName);
      return true;
    } catch {
      return false;
    }
  });

/** `endOffset` must lie after `startOffset` of the same object. */
const IsAfterStartOffset = (): Rule =>
  custom("endAfterStart", "$property must be greater than startOffset: evidence cannot be empty", (value, args) => {
    const start = (args.object as { startOffset?: unknown }).startOffset;
    return typeof value === "number" && (typeof start !== "number" || value > start);
  });

/** Exactly one of `id` and `ref` of a reference input. */
export const IsExactlyOneOf = (other: string): Rule =>
  custom("exactlyOne", `give exactly one of $property and ${other}`, (value, args) => {
    const otherValue = (args.object as Record<string, unknown>)[other];
    return (value === null || value === undefined) !== (otherValue === null || otherValue === undefined);
  });

function apply(presence: Presence, ...rules: Rule[]): Rule {
  return (target, key) => {
    if (presence === "optional") IsOptional()(target, key);
    if (presence === "unchanged") {
      ValidateIf((object: Record<string | symbol, unknown>) => object[key] !== undefined)(target, key);
      NotNull()(target, key);
    }
    for (const rule of rules) rule(target, key);
  };
}

const text = (max: number): Rule[] => [IsString(), IsNotBlank(), MaxLength(max)];

/** Every field rule, by field kind. */
export const Rules = {
  name: (p: Presence): Rule => apply(p, ...text(MAX_NAME)),
  aliases: (p: Presence): Rule =>
    apply(
      p,
      IsArray(),
      ArrayMaxSize(MAX_ALIASES),
      IsString({ each: true, message: "every entry of $property must be a string" }),
      IsNotBlank({ each: true, message: "every entry of $property must contain more than whitespace" }),
      MaxLength(MAX_NAME, { each: true, message: `every entry of $property must be at most ${MAX_NAME} characters long` }),
    ),
  description: (p: Presence): Rule => apply(p, ...text(MAX_DESCRIPTION)),
  wikidataId: (p: Presence): Rule => apply(p, IsWikidataId()),
  alpha2: (p: Presence): Rule =>
    apply(p, IsISO31661Alpha2({ message: "$property must be an ISO 3166-1 alpha-2 country code, such as RU" })),
  alpha3: (p: Presence): Rule =>
    apply(p, IsISO31661Alpha3({ message: "$property must be an ISO 3166-1 alpha-3 country code, such as RUS" })),
  url: (p: Presence): Rule =>
    apply(
      p,
      IsString(),
      MaxLength(MAX_URL),
      IsUrl({ protocols: ["http", "https"], require_protocol: true }, { message: "$property must be an absolute http(s) URL" }),
    ),
  headline: (p: Presence): Rule => apply(p, ...text(MAX_HEADLINE)),
  body: (p: Presence): Rule => apply(p, ...text(MAX_BODY)),
  language: (p: Presence): Rule => apply(p, IsLanguageTag()),
  quoteText: (p: Presence): Rule => apply(p, ...text(MAX_QUOTE)),
  startOffset: (p: Presence): Rule => apply(p, IsInt(), Min(0)),
  endOffset: (p: Presence): Rule => apply(p, IsInt(), Min(1), IsAfterStartOffset()),
  id: (p: Presence, typeName: NodeTypeName): Rule => apply(p, IsGlobalIdOf(typeName)),
  /** A nested input object (or list of them), validated with its own rules. */
  nested: (p: Presence, options: { list?: boolean } = {}): Rule =>
    apply(p, ...(options.list ? [IsArray(), ArrayMaxSize(MAX_BATCH)] : []), ValidateNested({ each: options.list ?? false })),
  clientMutationId: (): Rule => apply("optional", IsString(), MaxLength(MAX_CLIENT_MUTATION_ID)),
  /** No rule beyond what the GraphQL type already enforces (enums, dates), except presence. */
  typed: (p: Presence): Rule => apply(p),
};
