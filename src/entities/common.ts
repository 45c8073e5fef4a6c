import { ValueTransformer } from "typeorm";

/**
 * Trims string values on the way into the database, so that "Haftar " and "Haftar" can never be
 * two different names. The article body is deliberately not trimmed: evidence offsets index into it.
 */
export const trimmed: ValueTransformer = {
  to: (value: unknown) => (typeof value === "string" ? value.trim() : value),
  from: (value: unknown) => value,
};

/** Trims every alias and drops empty ones and duplicates, keeping the first spelling. */
export const trimmedList: ValueTransformer = {
  to: (value: unknown) =>
    Array.isArray(value)
      ? [...new Set(value.map((v) => String(v).trim()).filter((v) => v.length > 0))]
      : value,
  from: (value: unknown) => value,
};
