import { ValueTransformer } from "typeorm";

/** White space and invisible format characters (zero-width space and joiners, BOM) at either end. */
const EDGES = /^[\s\p{Cf}]+|[\s\p{Cf}]+$/gu;

/**
 * Trims white space and invisible format characters from both ends of a text: "Vladimir
 * Putin\u200b" would otherwise be a second, identical-looking Vladimir Putin, and "\u200b" a
 * name that is not blank.
 */
export function trimText(value: string): string {
  return value.replace(EDGES, "");
}

/**
 * Trims string values on the way into the database (`trimText`), so that "Haftar " and "Haftar"
 * can never be two different names. The article body is deliberately not trimmed: evidence
 * offsets index into it.
 */
export const trimmed: ValueTransformer = {
  to: (value: unknown) => (typeof value === "string" ? trimText(value) : value),
  from: (value: unknown) => value,
};

/** Trims every alias and drops empty ones and duplicates, keeping the first spelling. */
export const trimmedList: ValueTransformer = {
  to: (value: unknown) =>
    Array.isArray(value)
      ? [...new Set(value.map((v) => trimText(String(v))).filter((v) => v.length > 0))]
      : value,
  from: (value: unknown) => value,
};

/**
 * An article URL as stored and looked up: trimmed, with its scheme and host in lower case, as
 * they are case-insensitive (`https://EX.com/a` is `https://ex.com/a`); the path and query are
 * left as given, since servers may tell their cases apart.
 */
export function normalizeUrl(value: string): string {
  const trimmedUrl = trimText(value);
  const parts = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?#]*)(.*)$/s.exec(trimmedUrl);
  if (!parts) return trimmedUrl;
  const [, scheme, authority, rest] = parts;
  const at = authority.lastIndexOf("@");
  const host = at >= 0 ? authority.slice(0, at + 1) + authority.slice(at + 1).toLowerCase() : authority.toLowerCase();
  return scheme.toLowerCase() + host + rest;
}
