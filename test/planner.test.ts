/**
 * Unit tests of the planner: the plan `planConnection` makes for a list field of a parsed query
 * against the real schema (built as the server builds it), with no server and no database. The
 * plan says which columns the rows need, whether rows, cursors and the row past the page are
 * wanted, and which relations below are fetched ahead with what arguments; `selection.test.ts`
 * checks the statements that follow from it end to end.
 */
import {
  extendSchema,
  FieldNode,
  FragmentDefinitionNode,
  getVariableValues,
  GraphQLSchema,
  GraphQLString,
  Kind,
  OperationDefinitionNode,
  parse,
  validate,
} from "graphql";
import { collectFields } from "graphql/execution/collectFields";
import { ListPlan, pageColumns, planConnection, planNode, probesPastPage, SelectionInfo } from "../src/loaders/planner";
import { createSchema } from "../src/schema";

type TypeName = Parameters<typeof planConnection>[1];
type Order = Parameters<typeof pageColumns>[1];

/** The node type of each root list. */
const ROOT_LISTS: Record<string, TypeName> = {
  articles: "Article",
  countries: "Country",
  organizations: "Organization",
  people: "Person",
  positions: "Position",
  quotes: "Quote",
};

/** A plan without its AST nodes: field nodes become the response keys they were asked under. */
interface PlanSummary {
  columns: string[] | null;
  wantsRows: boolean;
  wantsCursors: boolean;
  wantsPageInfo: boolean;
  children: Array<{ relation: string; fields: string[]; args: unknown; plan: PlanSummary }>;
  refs: Array<{ typeName: string; column: string; fields: string[]; plan: PlanSummary }>;
}

const keyOf = (node: FieldNode): string => node.alias?.value ?? node.name.value;

/** Columns are compared as sets: their order is the planner's, `pageColumns` fixes the SELECT's. */
function summary(plan: ListPlan): PlanSummary {
  return {
    columns: plan.columns && [...plan.columns].sort(),
    wantsRows: plan.wantsRows,
    wantsCursors: plan.wantsCursors,
    wantsPageInfo: plan.wantsPageInfo,
    children: plan.children.map((c) => ({ relation: c.relation, fields: c.fieldNodes.map(keyOf), args: c.args, plan: summary(c.plan) })),
    refs: plan.refs.map((r) => ({ typeName: r.typeName, column: r.column, fields: r.fieldNodes.map(keyOf), plan: summary(r.plan) })),
  };
}

/** A plan with the given columns and flags, and nothing below it. */
function leaf(columns: string[] | null, flags: Partial<Pick<PlanSummary, "wantsRows" | "wantsCursors" | "wantsPageInfo">> = {}): PlanSummary {
  return {
    columns: columns && [...columns].sort(),
    wantsRows: true,
    wantsCursors: false,
    wantsPageInfo: false,
    children: [],
    refs: [],
    ...flags,
  };
}

let schema: GraphQLSchema;

beforeAll(async () => {
  schema = await createSchema();
});

/**
 * The info the executor would give each root list field of `source` (fragments, coerced
 * variables, the field nodes grouped as the executor groups them), by response key.
 */
function infos(source: string, variables: Record<string, unknown> = {}, against = schema): Map<string, SelectionInfo> {
  const document = parse(source);
  expect(validate(against, document)).toEqual([]);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) throw new Error("no operation");
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const coerced = getVariableValues(against, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw coerced.errors[0];
  const variableValues = coerced.coerced;
  const query = against.getQueryType();
  if (!query) throw new Error("no Query type");
  const result = new Map<string, SelectionInfo>();
  for (const [key, fieldNodes] of collectFields(against, fragments, variableValues, query, operation.selectionSet)) {
    const field = query.getFields()[fieldNodes[0].name.value];
    result.set(key, { schema: against, fragments, variableValues, fieldNodes, returnType: field.type });
  }
  return result;
}

/** The plan of the root list field under `key` (the only one when not given). */
function planOf(source: string, variables?: Record<string, unknown>, key?: string, against = schema): ListPlan {
  const all = infos(source, variables, against);
  const info = key === undefined ? [...all.values()][0] : all.get(key);
  if (!info) throw new Error(`no field ${key}`);
  const plan = planConnection(info, ROOT_LISTS[info.fieldNodes[0].name.value], info.fieldNodes, info.returnType);
  if (!plan) throw new Error("no plan");
  return plan;
}

function plan(source: string, variables?: Record<string, unknown>, key?: string): PlanSummary {
  return summary(planOf(source, variables, key));
}

describe("planConnection: columns", () => {
  it.each([
    ["articles", "body byline createdAt language publishedAt publisher title updatedAt url", ["body", "byline", "createdAt", "language", "publishedAt", "publisher", "title", "updatedAt", "url"]],
    ["countries", "alpha2 alpha3 createdAt name updatedAt wikidataId", ["alpha2", "alpha3", "createdAt", "name", "updatedAt", "wikidataId"]],
    ["organizations", "aliases createdAt description kind name updatedAt wikidataId", ["aliases", "createdAt", "description", "kind", "name", "updatedAt", "wikidataId"]],
    ["people", "aliases createdAt description name updatedAt wikidataId", ["aliases", "createdAt", "description", "name", "updatedAt", "wikidataId"]],
    ["positions", "createdAt endDate startDate title updatedAt", ["createdAt", "endDate", "startDate", "title", "updatedAt"]],
    ["quotes", "createdAt kind text updatedAt", ["createdAt", "kind", "text", "updatedAt"]],
  ])("%s: each column field reads its own column, and the id", (list, fields, columns) => {
    expect(plan(`{ ${list} { nodes { ${fields} } } }`).columns).toEqual(["id", ...columns].sort());
    for (const field of fields.split(" ")) {
      expect(plan(`{ ${list} { nodes { ${field} } } }`).columns).toEqual(["id", field].sort());
    }
  });

  it("id, databaseId and __typename read only the id", () => {
    expect(plan(`{ people { nodes { id databaseId __typename } } }`).columns).toEqual(["id"]);
  });

  it("evidence reads the article and the offsets, whatever is selected inside it", () => {
    const evidence = ["articleId", "endOffset", "id", "startOffset"];
    expect(plan(`{ quotes { nodes { evidence { text } } } }`).columns).toEqual(evidence);
    expect(plan(`{ positions { nodes { evidence { startOffset article { title } } } } }`).columns).toEqual(evidence);
  });

  it("null (whole rows) when a field cannot be mapped to columns", () => {
    // A field the planner does not know: not a column, no known resolver.
    const extended = extendSchema(schema, parse(`extend type Person { nickname: String }`));
    expect(summary(planOf(`{ people { nodes { name nickname } } }`, {}, undefined, extended))).toEqual(leaf(null));
    // Whole rows below a relation leave the rows above as planned.
    expect(summary(planOf(`{ countries { nodes { name people { nodes { nickname } } } } }`, {}, undefined, extended))).toEqual({
      ...leaf(["id", "name"]),
      children: [{ relation: "Country.people", fields: ["people"], args: {}, plan: leaf(null) }],
    });
  });
});

describe("planConnection: rows, cursors and pageInfo", () => {
  it("totalCount alone wants no rows", () => {
    expect(plan(`{ people(first: 2) { totalCount } }`)).toEqual(leaf(["id"], { wantsRows: false }));
  });

  it("nodes want rows, not cursors", () => {
    expect(plan(`{ people { totalCount nodes { name } } }`)).toEqual(leaf(["id", "name"]));
  });

  it("edges want rows and cursors, even with only the cursor selected", () => {
    expect(plan(`{ people { edges { cursor node { name } } } }`)).toEqual(leaf(["id", "name"], { wantsCursors: true }));
    expect(plan(`{ people { edges { cursor } } }`)).toEqual(leaf(["id"], { wantsCursors: true }));
  });

  it("pageInfo wants rows, cursors and the row past the page", () => {
    expect(plan(`{ people { pageInfo { hasNextPage } } }`)).toEqual(leaf(["id"], { wantsCursors: true, wantsPageInfo: true }));
  });

  it("nodes and edges.node together: the columns of both", () => {
    expect(plan(`{ people { nodes { name } edges { node { description } } } }`)).toEqual(leaf(["description", "id", "name"], { wantsCursors: true }));
  });

  it("null when the return type is not a connection, or the type not an object type", () => {
    const info = [...infos(`{ people { nodes { name } } }`).values()][0];
    expect(planConnection(info, "Person", info.fieldNodes, GraphQLString)).toBeNull();
    expect(planConnection(info, "NoSuchType" as TypeName, info.fieldNodes, info.returnType)).toBeNull();
  });
});

describe("planConnection: relations", () => {
  it("a to-one relation reads its foreign key and is planned as a ref, nested refs too", () => {
    expect(plan(`{ quotes { nodes { id databaseId __typename evidence { text } speaker { name country { alpha2 } } } } }`)).toEqual({
      ...leaf(["articleId", "endOffset", "id", "speakerId", "startOffset"]),
      refs: [
        {
          typeName: "Person",
          column: "speakerId",
          fields: ["speaker"],
          plan: { ...leaf(["countryId", "id", "name"]), refs: [{ typeName: "Country", column: "countryId", fields: ["country"], plan: leaf(["alpha2", "id"]) }] },
        },
      ],
    });
  });

  it("a to-many relation is a child with its arguments, nested children too", () => {
    const query = `{ countries(first: 3) { nodes { name
      people(first: 2, filter: { name: { contains: "a" } }, orderBy: [{ field: NAME, direction: DESC }]) {
        totalCount nodes { name quotes(last: 2) { pageInfo { hasPreviousPage } nodes { text } } }
      }
    } } }`;
    expect(plan(query)).toEqual({
      ...leaf(["id", "name"]),
      children: [
        {
          relation: "Country.people",
          fields: ["people"],
          args: { first: 2, filter: { name: { contains: "a" } }, orderBy: [{ field: "NAME", direction: "DESC" }] },
          plan: {
            ...leaf(["id", "name"]),
            children: [{ relation: "Person.quotes", fields: ["quotes"], args: { last: 2 }, plan: leaf(["id", "text"], { wantsCursors: true, wantsPageInfo: true }) }],
          },
        },
      ],
    });
  });

  it("relations through positions, self references, arguments from variables and a ref's own children", () => {
    const query = `query ($n: Int) { organizations { nodes {
      members(first: $n) { nodes { name } }
      parent { name parent { name } }
      country { quotes { totalCount } }
    } } }`;
    expect(plan(query, { n: 5 })).toEqual({
      ...leaf(["countryId", "id", "parentId"]),
      children: [{ relation: "Organization.members", fields: ["members"], args: { first: 5 }, plan: leaf(["id", "name"]) }],
      refs: [
        {
          typeName: "Organization",
          column: "parentId",
          fields: ["parent"],
          plan: { ...leaf(["id", "name", "parentId"]), refs: [{ typeName: "Organization", column: "parentId", fields: ["parent"], plan: leaf(["id", "name"]) }] },
        },
        {
          typeName: "Country",
          column: "countryId",
          fields: ["country"],
          plan: { ...leaf(["id"]), children: [{ relation: "Country.quotes", fields: ["quotes"], args: {}, plan: leaf(["id"], { wantsRows: false }) }] },
        },
      ],
    });
  });
});

describe("planConnection: fragments, aliases, @skip and @include", () => {
  const query = `query ($include: Boolean!, $skip: Boolean!) { people { nodes {
    name
    ...P
    ... on Person { description }
    a: quotes(first: 1) { nodes { text } }
    b: quotes(first: 2) @include(if: $include) { nodes { kind } }
    c: positions @skip(if: $skip) { nodes { title } }
  } } }
  fragment P on Person { aliases quotes(first: 1) { nodes { kind } } }`;

  it("reads the columns of named and inline fragments and plans each alias as its own child", () => {
    expect(plan(query, { include: true, skip: true })).toEqual({
      ...leaf(["aliases", "description", "id", "name"]),
      children: [
        { relation: "Person.quotes", fields: ["quotes"], args: { first: 1 }, plan: leaf(["id", "kind"]) },
        { relation: "Person.quotes", fields: ["a"], args: { first: 1 }, plan: leaf(["id", "text"]) },
        { relation: "Person.quotes", fields: ["b"], args: { first: 2 }, plan: leaf(["id", "kind"]) },
      ],
    });
  });

  it("leaves out what @include(if: false) leaves out and keeps what @skip(if: false) keeps", () => {
    expect(plan(query, { include: false, skip: false }).children).toEqual([
      { relation: "Person.quotes", fields: ["quotes"], args: { first: 1 }, plan: leaf(["id", "kind"]) },
      { relation: "Person.quotes", fields: ["a"], args: { first: 1 }, plan: leaf(["id", "text"]) },
      { relation: "Person.positions", fields: ["c"], args: {}, plan: leaf(["id", "title"]) },
    ]);
  });

  it("a skipped nodes field wants no rows", () => {
    expect(plan(`{ people { totalCount nodes @include(if: false) { name } } }`)).toEqual(leaf(["id"], { wantsRows: false }));
  });

  it("a field reached directly and through a fragment is one child with both field nodes and the columns of both", () => {
    const planned = planOf(`{ people { nodes { quotes(first: 2) { nodes { kind } } ...Q } } } fragment Q on Person { quotes(first: 2) { nodes { text } } }`);
    expect(summary(planned).children).toEqual([{ relation: "Person.quotes", fields: ["quotes", "quotes"], args: { first: 2 }, plan: leaf(["id", "kind", "text"]) }]);
    // The field nodes are the query's own, as the executor passes them to the field's resolver.
    const [first, second] = planned.children[0].fieldNodes;
    expect(first).not.toBe(second);
    expect(first.loc?.start).toBeLessThan(second.loc?.start ?? 0);
  });

  it("plans each aliased root list on its own", () => {
    const query = `{ p: people { nodes { name } } q: people { edges { node { description } } } }`;
    expect(plan(query, {}, "p")).toEqual(leaf(["id", "name"]));
    expect(plan(query, {}, "q")).toEqual(leaf(["description", "id"], { wantsCursors: true }));
  });
});

describe("pageColumns and probesPastPage", () => {
  const order: Order = [
    { column: "name", direction: "ASC" },
    { column: "id", direction: "ASC" },
  ];

  it("selects the id first, then the plan's columns in the order the selection reads them", () => {
    expect(pageColumns(planOf(`{ people { nodes { description name } } }`), order)).toEqual(["id", "description", "name"]);
    expect(pageColumns(planOf(`{ quotes { nodes { speaker { name } evidence { text } text } } }`), order)).toEqual([
      "id",
      "speakerId",
      "articleId",
      "startOffset",
      "endOffset",
      "text",
    ]);
  });

  it("adds the sort keys after the id when cursors are wanted, each column once", () => {
    expect(pageColumns(planOf(`{ people { edges { node { description } } } }`), order)).toEqual(["id", "name", "description"]);
    expect(pageColumns(planOf(`{ people { pageInfo { endCursor } nodes { name } } }`), order)).toEqual(["id", "name"]);
  });

  it("is null (every column) without a plan or for a plan of whole rows", () => {
    expect(pageColumns(null, order)).toBeNull();
    const extended = extendSchema(schema, parse(`extend type Person { nickname: String }`));
    expect(pageColumns(planOf(`{ people { nodes { nickname } } }`, {}, undefined, extended), order)).toBeNull();
  });

  it("probes past the page only for pageInfo, or without a plan", () => {
    expect(probesPastPage(null)).toBe(true);
    expect(probesPastPage(planOf(`{ people { pageInfo { hasNextPage } } }`))).toBe(true);
    expect(probesPastPage(planOf(`{ people { edges { cursor node { name } } } }`))).toBe(false);
    expect(probesPastPage(planOf(`{ people { nodes { name } } }`))).toBe(false);
    expect(probesPastPage(planOf(`{ people { totalCount } }`))).toBe(false);
  });
});

describe("plans kept per field node", () => {
  it("plans a selection that reads no variable once per parsed document, and afresh for another document", () => {
    const source = `{ people(first: 3) { nodes { name quotes(first: 2) { nodes { text } } } } }`;
    const [info] = [...infos(source).values()];
    const first = planConnection(info, "Person", info.fieldNodes, info.returnType);
    const again = planConnection(info, "Person", info.fieldNodes, info.returnType);
    expect(again).toBe(first);
    const [other] = [...infos(source).values()];
    const reparsed = planConnection(other, "Person", other.fieldNodes, other.returnType);
    expect(reparsed).not.toBe(first);
    expect(reparsed && summary(reparsed)).toEqual(first && summary(first));
  });

  it.each([
    ["an argument below", `query($n: Int) { people(first: 3) { nodes { quotes(first: $n) { nodes { text } } } } }`, { n: 2 }, { n: 4 }],
    ["@include below", `query($t: Boolean!) { people(first: 3) { nodes { name description @include(if: $t) } } }`, { t: true }, { t: false }],
    [
      "a fragment's @skip",
      `query($t: Boolean!) { people(first: 3) { nodes { ...F } } } fragment F on Person { name wikidataId @skip(if: $t) }`,
      { t: true },
      { t: false },
    ],
  ])("plans afresh for each request when %s reads a variable", (_name, source, a, b) => {
    const document = infos(source, a);
    const [infoA] = [...document.values()];
    // The same field nodes with other variables, as the next request of the same operation.
    const infoB = { ...infoA, variableValues: [...infos(source, b).values()][0].variableValues };
    const planA = planConnection(infoA, "Person", infoA.fieldNodes, infoA.returnType);
    const planB = planConnection(infoB, "Person", infoB.fieldNodes, infoB.returnType);
    expect(planA && summary(planA)).not.toEqual(planB && summary(planB));
    expect(summary(planB as ListPlan)).toEqual(summary(planOf(source, b)));
  });

  it("plans node(id:) for the type of the node, through its fragments", () => {
    const document = parse(`query($id: ID!) { node(id: $id) { id ... on Person { name country { name } quotes(first: 5) { nodes { text } } } ... on Quote { kind } } }`);
    const operation = document.definitions[0] as OperationDefinitionNode;
    const query = schema.getQueryType();
    if (!query) throw new Error("no Query type");
    const [[, fieldNodes]] = [...collectFields(schema, {}, { id: "x" }, query, operation.selectionSet)];
    const info: SelectionInfo = { schema, fragments: {}, variableValues: { id: "x" }, fieldNodes, returnType: query.getFields().node.type };
    const planned = planNode(info, "Person");
    expect(planned && summary(planned)).toEqual({
      ...leaf(["id", "name", "countryId"]),
      children: [{ relation: "Person.quotes", fields: ["quotes"], args: { first: 5 }, plan: leaf(["id", "text"]) }],
      refs: [{ typeName: "Country", column: "countryId", fields: ["country"], plan: leaf(["id", "name"]) }],
    });
    expect(summary(planNode(info, "Quote") as ListPlan)).toEqual(leaf(["id", "kind"]));
  });
});
