import { GraphQLSchema } from "graphql";

/**
 * The Query fields a newcomer reaches for first, in the order the playground's docs list them:
 * look-ups and lists of what the knowledge base holds, then search and the global ID look-ups.
 */
const MAIN_QUERY_FIELDS = [
  "person",
  "people",
  "search",
  "quotes",
  "organization",
  "organizations",
  "country",
  "countries",
  "positions",
  "article",
  "articles",
  "node",
  "nodes",
];

/**
 * Puts the main entry points first in the Query type, where GraphiQL's docs and introspection
 * list fields in the schema's order (TypeGraphQL's order put the grouped counts first), and the
 * grouped counts (`…Counts`) last; every other field keeps its place in between. The fields are
 * reordered in place, so resolvers and type identities stay as they are. `schema.graphql` is
 * sorted on its own and does not change.
 */
export function orderQueryFields(schema: GraphQLSchema): void {
  const query = schema.getQueryType();
  if (!query) return;
  const fields = query.getFields();
  const names = Object.keys(fields);
  const main = MAIN_QUERY_FIELDS.filter((name) => names.includes(name));
  const counts = names.filter((name) => !main.includes(name) && name.endsWith("Counts"));
  const rest = names.filter((name) => !main.includes(name) && !counts.includes(name));
  for (const name of [...main, ...rest, ...counts]) {
    // Deleting and adding again moves a key to the end of the object's key order.
    const field = fields[name];
    delete fields[name];
    fields[name] = field;
  }
}
