import crypto from "node:crypto";
import { MiddlewareFn } from "type-graphql";
import { EditorToken } from "../config";
import { ForbiddenError, UnauthenticatedError } from "../errors";

/**
 * Who sent a request, as its `Authorization` header says: nobody in particular, an editor (by the
 * name `EDITOR_TOKENS` gives the token), or someone with a token that is not an editor's. Reads
 * ignore this; mutations and the edit log require an editor.
 */
export type Auth =
  | { kind: "anonymous"; reason: "no header" | "not a bearer token" }
  | { kind: "editor"; name: string }
  | { kind: "invalid-token" };

/** The context fields the guard needs (kept narrow so the guard does not depend on the loaders). */
export interface AuthContext {
  auth: Auth;
  config: { editorTokens: readonly EditorToken[] };
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function digest(value: string): Buffer {
  return crypto.createHash("sha256").update(value, "utf8").digest();
}

/**
 * Reads an `Authorization` header. Tokens are compared as SHA-256 digests with
 * `crypto.timingSafeEqual`, and every configured token is compared every time, so neither the
 * response time nor an early exit tells an attacker how much of a guess was right or how long
 * the real tokens are.
 */
export function authenticate(header: string | undefined, tokens: readonly EditorToken[]): Auth {
  if (header === undefined || header.trim() === "") return { kind: "anonymous", reason: "no header" };
  const match = BEARER.exec(header.trim());
  if (!match) return { kind: "anonymous", reason: "not a bearer token" };
  const presented = digest(match[1]);
  let editor: string | null = null;
  for (const { name, token } of tokens) {
    if (crypto.timingSafeEqual(presented, digest(token)) && editor === null) editor = name;
  }
  return editor === null ? { kind: "invalid-token" } : { kind: "editor", name: editor };
}

/**
 * Returns the editor behind a request, or throws `UNAUTHENTICATED` (no bearer token) or
 * `FORBIDDEN` (a token that is not an editor's). The messages say what to do, and say so when the
 * server has no editor tokens at all and is therefore read-only.
 */
export function requireEditor(ctx: AuthContext): { name: string } {
  const readOnly = ctx.config.editorTokens.length === 0;
  const suffix = readOnly ? " This server is read-only: it was started without EDITOR_TOKENS." : "";
  switch (ctx.auth.kind) {
    case "editor":
      return { name: ctx.auth.name };
    case "invalid-token":
      throw new ForbiddenError(`The bearer token is not an editor token.${suffix}`);
    case "anonymous":
      throw new UnauthenticatedError(
        (ctx.auth.reason === "no header"
          ? "This operation needs an editor token: send `Authorization: Bearer <token>`."
          : "The Authorization header must be `Bearer <token>`.") + suffix,
      );
  }
}

/**
 * TypeGraphQL middleware for resolver classes whose every field needs an editor. It runs before
 * the arguments are validated, so an anonymous client learns nothing from validation errors.
 */
export const EditorOnly: MiddlewareFn<AuthContext> = async ({ context }, next) => {
  requireEditor(context);
  return next();
};
