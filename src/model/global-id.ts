import { BadUserInputError } from "../errors";
import { model, NodeTypeName } from "./registry";

/** A decoded global ID. */
export interface GlobalId {
  typeName: NodeTypeName;
  databaseId: number;
}

/**
 * Encodes a global ID. The format ("Person:12" in base64url) is opaque to clients by contract:
 * they must not build or parse IDs, which leaves us free to change it behind a version prefix.
 */
export function toGlobalId(typeName: NodeTypeName, databaseId: number): string {
  return Buffer.from(`${typeName}:${databaseId}`, "utf8").toString("base64url");
}

/**
 * The largest database id: `databaseId` is a GraphQL `Int` (32 bits), and PostgreSQL's id columns
 * are `integer`. An ID past it is not one this server could have issued, on either database.
 */
export const MAX_DATABASE_ID = 2_147_483_647;

/** Decodes a global ID, or throws `BAD_USER_INPUT` when it is not one this server could have issued. */
export function fromGlobalId(id: string, argument = "id"): GlobalId {
  const malformed = (): BadUserInputError =>
    new BadUserInputError(`"${id.length > 80 ? `${id.slice(0, 80)}…` : id}" is not a valid node ID`, argument);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw malformed();
  const decoded = Buffer.from(id, "base64url").toString("utf8");
  const match = /^([A-Za-z]+):([1-9][0-9]{0,9})$/.exec(decoded);
  // A type of the model only (a Map look-up, so `toString` or `constructor` are not types), or
  // the look-ups that follow would fail on it as an internal error.
  if (!match || !model().types.has(match[1] as NodeTypeName)) throw malformed();
  const databaseId = Number(match[2]);
  if (!Number.isSafeInteger(databaseId) || databaseId > MAX_DATABASE_ID || toGlobalId(match[1] as NodeTypeName, databaseId) !== id) {
    throw malformed();
  }
  return { typeName: match[1] as NodeTypeName, databaseId };
}

/** Decodes a global ID that must be of one type (for arguments such as `person(id:)`). */
export function fromGlobalIdOfType(id: string, typeName: NodeTypeName, argument = "id"): number {
  const decoded = fromGlobalId(id, argument);
  if (decoded.typeName !== typeName) {
    throw new BadUserInputError(`"${id}" is the ID of a ${decoded.typeName}, not a ${typeName}`, argument);
  }
  return decoded.databaseId;
}
