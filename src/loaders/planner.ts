/**
 * What a list field's GraphQL selection needs from the database, read from the resolver's info
 * before any row is fetched: the columns its nodes' fields read (so a page of quotes whose only
 * selected field is `text` does not carry every other column of the table through SQLite,
 * better-sqlite3 and the garbage collector), and the relation fields below it, with their
 * arguments and their own selections (so the loaders can fetch each level of a nested query for
 * all parents at once and hand the rows to the field resolvers without a promise per parent).
 *
 * Fields are grouped with graphql-js's own `collectSubfields`, the function its executor uses, so
 * the field nodes a plan is keyed by are exactly those the executor later passes to the field's
 * resolver (`info.fieldNodes`), fragments, aliases, `@skip` and `@include` included.
 */
import {
  DirectiveNode,
  FieldNode,
  FragmentDefinitionNode,
  getArgumentValues,
  getNamedType,
  GraphQLField,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLSchema,
  isObjectType,
  Kind,
  SelectionSetNode,
  ValueNode,
} from "graphql";
import { collectSubfields } from "graphql/execution/collectFields";
import { ListArgs } from "../inputs/list-args";
import { typeModel } from "../model/registry";
import { RelationName, relations } from "../sql/relations";
import { NodeTypeName, SortKey } from "../sql/tables";

/** The parts of a resolver's info a plan is built from. */
export interface SelectionInfo {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variableValues: Record<string, unknown>;
  fieldNodes: readonly FieldNode[];
  returnType: GraphQLOutputType;
}

/** A to-one relation: the type it points to and the foreign key column its resolver reads. */
export interface RefTarget {
  typeName: NodeTypeName;
  column: string;
}

/** A to-one relation selected on a list's nodes, with the field nodes and the selection below it. */
export interface RefPlan extends RefTarget {
  fieldNodes: readonly FieldNode[];
  plan: ListPlan;
}

/** A to-many relation selected on a list's nodes, with the arguments and selection it was asked with. */
export interface ChildPlan {
  relation: RelationName;
  /** The field nodes the executor will pass to this field's resolver, keyed as `fieldKey` does. */
  fieldNodes: readonly FieldNode[];
  args: ListArgs;
  plan: ListPlan;
}

/** What one list field needs: the columns of its rows (null: all of them) and its relations. */
export interface ListPlan {
  columns: ReadonlySet<string> | null;
  /** Whether rows are asked for at all (`nodes`, `edges` or `pageInfo`), not only `totalCount`. */
  wantsRows: boolean;
  /** Whether cursors are asked for (`edges` or `pageInfo`), which need each row's sort keys. */
  wantsCursors: boolean;
  /**
   * Whether `pageInfo` is asked for: only then does a page need the one row past its end that
   * tells whether there is a next (or previous) page.
   */
  wantsPageInfo: boolean;
  children: ChildPlan[];
  refs: RefPlan[];
}

/**
 * The to-one relation fields the planner fetches ahead: those of the public types, whose field
 * resolvers read what was fetched (`loadRef`). The editor-only types resolve theirs on their own.
 */
function refOf(typeName: NodeTypeName, field: string): RefTarget | undefined {
  const type = typeModel(typeName);
  const relation = type.editorOnly ? undefined : type.toOne.get(field);
  return relation && { typeName: relation.target, column: relation.column };
}

const EVIDENCE_COLUMNS = ["articleId", "startOffset", "endOffset"];

/**
 * The columns read by fields that have their own resolver and are neither relations nor
 * columns of the same name. A resolver field missing here makes its list select every column:
 * slower, never wrong.
 */
const RESOLVER_COLUMNS: Partial<Record<NodeTypeName, Record<string, readonly string[]>>> = {
  Position: { evidence: EVIDENCE_COLUMNS },
  Quote: { evidence: EVIDENCE_COLUMNS },
  Mention: { evidence: EVIDENCE_COLUMNS, text: EVIDENCE_COLUMNS },
};
const NODE_FIELD_COLUMNS: Record<string, readonly string[]> = { id: ["id"], databaseId: ["id"], __typename: [] };

/** The columns a page must select: the plan's, the primary key and, for cursors, the sort keys. */
export function pageColumns(plan: ListPlan | null, order: readonly SortKey[]): string[] | null {
  if (!plan || plan.columns === null) return null;
  const keys = plan.wantsCursors ? order.map((k) => k.column) : [];
  return [...new Set(["id", ...keys, ...plan.columns])];
}

/**
 * Whether a page must fetch one row past its end to tell whether more follow: when `pageInfo`
 * is selected, or when the selection could not be planned. Without it the page's `hasNextPage`
 * and `hasPreviousPage` are not known, and nothing reads them.
 */
export function probesPastPage(plan: ListPlan | null): boolean {
  return plan?.wantsPageInfo ?? true;
}

/** The field groups under each of a list of field nodes' selections. */
function subfields(info: SelectionInfo, type: GraphQLObjectType, nodes: readonly FieldNode[]): Map<string, readonly FieldNode[]> {
  return collectSubfields(info.schema, info.fragments, info.variableValues, type, nodes);
}

function fieldDef(type: GraphQLObjectType, name: string): GraphQLField<unknown, unknown> | undefined {
  return type.getFields()[name];
}

/** Whether a value (an argument's or a directive's) reads a variable. */
function readsVariable(value: ValueNode): boolean {
  if (value.kind === Kind.VARIABLE) return true;
  if (value.kind === Kind.LIST) return value.values.some(readsVariable);
  if (value.kind === Kind.OBJECT) return value.fields.some((field) => readsVariable(field.value));
  return false;
}

function directivesReadVariables(directives: readonly DirectiveNode[] | undefined): boolean {
  return (directives ?? []).some((directive) => (directive.arguments ?? []).some((argument) => readsVariable(argument.value)));
}

/** Whether anything below a selection set (arguments, `@skip`, `@include`, fragments) reads a variable. */
function selectionReadsVariables(selectionSet: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, seen: Set<string>): boolean {
  for (const selection of selectionSet?.selections ?? []) {
    if (directivesReadVariables(selection.directives)) return true;
    if (selection.kind === Kind.FIELD) {
      if ((selection.arguments ?? []).some((argument) => readsVariable(argument.value))) return true;
      if (selectionReadsVariables(selection.selectionSet, fragments, seen)) return true;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (selectionReadsVariables(selection.selectionSet, fragments, seen)) return true;
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments[selection.name.value];
      if (fragment && (directivesReadVariables(fragment.directives) || selectionReadsVariables(fragment.selectionSet, fragments, seen))) return true;
    }
  }
  return false;
}

/** What is kept per field node: whether its selection reads variables, and its plans by kind and type. */
interface PlanCacheEntry {
  readsVariables: boolean;
  plans: Map<string, ListPlan | null>;
}

/**
 * Plans of selections that read no variable, per schema and field node. A plan is a function of
 * the schema, the field's nodes (which belong to one parsed document: a repeated operation's
 * document is parsed once and kept) and the variables its selection reads; when it reads none,
 * a repeated operation's fields are planned once rather than on every request (planning was
 * about a tenth of a small request's time). Weak on both keys: a document dropped from the
 * operation caches takes its plans with it.
 */
const planCache = new WeakMap<GraphQLSchema, WeakMap<FieldNode, PlanCacheEntry>>();

/** `plan()`'s result for these field nodes, from the cache when their selection reads no variable. */
function cachedPlan(info: SelectionInfo, fieldNodes: readonly FieldNode[], key: string, plan: () => ListPlan | null): ListPlan | null {
  // A field reached through several nodes (the same response key selected twice) is planned afresh.
  if (fieldNodes.length !== 1) return plan();
  let bySchema = planCache.get(info.schema);
  if (!bySchema) {
    bySchema = new WeakMap();
    planCache.set(info.schema, bySchema);
  }
  const node = fieldNodes[0];
  let entry = bySchema.get(node);
  if (!entry) {
    entry = { readsVariables: selectionReadsVariables(node.selectionSet, info.fragments, new Set()), plans: new Map() };
    bySchema.set(node, entry);
  }
  if (entry.readsVariables) return plan();
  let planned = entry.plans.get(key);
  if (planned === undefined) {
    planned = plan();
    entry.plans.set(key, planned);
  }
  return planned;
}

/**
 * Plans a connection field (`people`, `Person.quotes`…) of node type `typeName` from the field
 * nodes that select it. Returns null when the return type is not a connection of that type.
 */
export function planConnection(info: SelectionInfo, typeName: NodeTypeName, fieldNodes: readonly FieldNode[], returnType: GraphQLOutputType): ListPlan | null {
  return cachedPlan(info, fieldNodes, `connection:${typeName}:${getNamedType(returnType).name}`, () => planConnectionNow(info, typeName, fieldNodes, returnType));
}

function planConnectionNow(info: SelectionInfo, typeName: NodeTypeName, fieldNodes: readonly FieldNode[], returnType: GraphQLOutputType): ListPlan | null {
  const connection = getNamedType(returnType);
  if (!isObjectType(connection)) return null;
  const nodeType = info.schema.getType(typeName);
  if (!isObjectType(nodeType)) return null;
  // The node-level field groups, one per place the nodes are reached: `nodes` and `edges.node`.
  const nodeGroups: Map<string, readonly FieldNode[]>[] = [];
  let wantsRows = false;
  let wantsCursors = false;
  let wantsPageInfo = false;
  for (const [, group] of subfields(info, connection, fieldNodes)) {
    const name = group[0].name.value;
    if (name === "nodes") {
      nodeGroups.push(subfields(info, nodeType, group));
      wantsRows = true;
    } else if (name === "edges") {
      const edgeType = getNamedType(fieldDef(connection, "edges")?.type);
      if (!isObjectType(edgeType)) return null;
      for (const [, edgeGroup] of subfields(info, edgeType, group)) {
        if (edgeGroup[0].name.value === "node") nodeGroups.push(subfields(info, nodeType, edgeGroup));
      }
      wantsRows = true;
      wantsCursors = true;
    } else if (name === "pageInfo") {
      wantsRows = true;
      wantsCursors = true;
      wantsPageInfo = true;
    }
  }
  return { ...planNodes(info, typeName, nodeType, nodeGroups), wantsRows, wantsCursors, wantsPageInfo };
}

/**
 * Plans a field that returns one node of type `typeName` (`node(id:)`), from the field nodes
 * that select it; the field's own type may be an interface the node implements, whose
 * fragments on other types then select nothing. Null when `typeName` is not an object type.
 */
export function planNode(info: SelectionInfo, typeName: NodeTypeName): ListPlan | null {
  return cachedPlan(info, info.fieldNodes, `node:${typeName}`, () => planNodeNow(info, typeName));
}

function planNodeNow(info: SelectionInfo, typeName: NodeTypeName): ListPlan | null {
  const nodeType = info.schema.getType(typeName);
  if (!isObjectType(nodeType)) return null;
  const planned = planNodes(info, typeName, nodeType, [subfields(info, nodeType, info.fieldNodes)]);
  return { ...planned, wantsRows: true, wantsCursors: false, wantsPageInfo: false };
}

function planNodes(
  info: SelectionInfo,
  typeName: NodeTypeName,
  nodeType: GraphQLObjectType,
  groups: Map<string, readonly FieldNode[]>[],
): Pick<ListPlan, "columns" | "children" | "refs"> {
  const table = typeModel(typeName).columns;
  let columns: Set<string> | null = new Set(["id"]);
  const children: ChildPlan[] = [];
  const refs: RefPlan[] = [];
  for (const fields of groups) {
    for (const [, group] of fields) {
      const name = group[0].name.value;
      const field = fieldDef(nodeType, name);
      const relation = `${typeName}.${name}`;
      const ref = refOf(typeName, name);
      const known = NODE_FIELD_COLUMNS[name] ?? RESOLVER_COLUMNS[typeName]?.[name];
      const source = relations.get(relation as RelationName);
      if (source && field) {
        const target = source.target.typeName;
        const plan = planConnection(info, target, group, field.type);
        if (plan) {
          const args = getArgumentValues(field, group[0], info.variableValues) as ListArgs;
          children.push({ relation: relation as RelationName, fieldNodes: group, args, plan });
        }
      } else if (ref) {
        columns?.add(ref.column);
        const refType = info.schema.getType(ref.typeName);
        if (isObjectType(refType)) {
          const below = planNodes(info, ref.typeName, refType, [subfields(info, refType, group)]);
          refs.push({ ...ref, fieldNodes: group, plan: { ...below, wantsRows: true, wantsCursors: false, wantsPageInfo: false } });
        }
      } else if (known) {
        known.forEach((c) => columns?.add(c));
      } else if (field && !field.resolve && table.has(name)) {
        columns?.add(name);
      } else {
        // A field we cannot map to columns: read whole rows.
        columns = null;
      }
    }
  }
  return { columns, children, refs };
}
