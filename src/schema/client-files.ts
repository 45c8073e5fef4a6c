import path from "node:path";
import { getNamedType, GraphQLSchema, isInterfaceType, isObjectType, isUnionType } from "graphql";
import { PROJECT_ROOT } from "../paths";

/**
 * Every interface and union of the schema with the object types that belong to it, in the shape
 * of Apollo Client's `possibleTypes` (and urql Graphcache's schema-less fragment matching): a
 * client cache that lacks it cannot tell that a `Person` is a `Node`, so `... on Node { id }`
 * on a `search` or `node` result loses the `id`.
 */
export function possibleTypesOf(schema: GraphQLSchema): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  const types = Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith("__") && (isInterfaceType(type) || isUnionType(type)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const type of types) {
    if (!isInterfaceType(type) && !isUnionType(type)) continue;
    result[type.name] = schema.getPossibleTypes(type).map((member) => member.name).sort();
  }
  return result;
}

/**
 * Every field that returns a connection, by the type that has it (`Query: ["articles", …]`),
 * for the client's pagination type policies (`client/apollo.ts`), so that a new connection in the
 * schema gets a policy without anyone remembering to add it.
 */
export function connectionFieldsOf(schema: GraphQLSchema): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  const types = Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith("__"))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const type of types) {
    if (!isObjectType(type)) continue;
    const fields = Object.values(type.getFields())
      .filter((field) => /Connection$/.test(getNamedType(field.type).name))
      .map((field) => field.name)
      .sort();
    if (fields.length > 0) result[type.name] = fields;
  }
  return result;
}

/**
 * The generated files for clients, by absolute path, with their exact contents: what
 * `npm run schema` writes next to `schema.graphql`, and what the tests compare with the
 * committed files.
 */
export function clientFiles(schema: GraphQLSchema): Record<string, string> {
  return {
    [path.join(PROJECT_ROOT, "possibleTypes.json")]: `${JSON.stringify(possibleTypesOf(schema), null, 2)}\n`,
    [path.join(PROJECT_ROOT, "client", "connection-fields.json")]: `${JSON.stringify(connectionFieldsOf(schema), null, 2)}\n`,
  };
}
