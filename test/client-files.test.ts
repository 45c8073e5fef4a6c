/**
 * The files `npm run schema` writes for clients (`possibleTypes.json`, `client/connection-fields.json`)
 * match the schema, like `schema.graphql` in test/schema.test.ts.
 */
import fs from "node:fs";
import path from "node:path";
import { GraphQLSchema } from "graphql";
import { PROJECT_ROOT } from "../src/paths";
import { createSchema } from "../src/schema";
import { clientFiles, connectionFieldsOf, possibleTypesOf } from "../src/schema/client-files";

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await createSchema();
});

describe("the generated client files", () => {
  it("match the committed possibleTypes.json and client/connection-fields.json (run `npm run schema` after changing the API)", () => {
    const files = clientFiles(schema);
    expect(Object.keys(files).map((file) => path.relative(PROJECT_ROOT, file)).sort()).toEqual(["client/connection-fields.json", "possibleTypes.json"]);
    for (const [file, contents] of Object.entries(files)) {
      expect(`${path.relative(PROJECT_ROOT, file)}\n${fs.readFileSync(file, "utf8")}`).toBe(`${path.relative(PROJECT_ROOT, file)}\n${contents}`);
    }
  });

  it("list every type that implements Node, and every member of the search result union", () => {
    const possible = possibleTypesOf(schema);
    expect(possible.Node).toEqual(expect.arrayContaining(["Article", "Country", "Organization", "Person", "Position", "Quote"]));
    expect(possible.SearchResultItem).toEqual(expect.arrayContaining(["Article", "Organization", "Person", "Quote"]));
  });

  it("list the root lists and the nested ones as connection fields", () => {
    const fields = connectionFieldsOf(schema);
    expect(fields.Query).toEqual(expect.arrayContaining(["people", "organizations", "countries", "positions", "quotes", "articles", "search"]));
    expect(fields.Person).toEqual(expect.arrayContaining(["quotes", "positions"]));
    expect(fields.PersonConnection).toBeUndefined();
  });
});
