import { BadUserInputError } from "../errors";
import { OrderInput } from "../inputs/orders.input";
import { NodeTypeName, SortKey, tablesByType } from "./tables";

type Columns = Array<Omit<SortKey, "direction">>;

const timestamps: Record<string, Columns> = {
  CREATED_AT: [{ column: "createdAt" }],
  UPDATED_AT: [{ column: "updatedAt" }],
  DATABASE_ID: [],
};

/** The columns behind each `XOrderField` value. */
const ORDER_COLUMNS: Partial<Record<NodeTypeName, Record<string, Columns>>> = {
  Article: { PUBLISHED_AT: [{ column: "publishedAt" }], TITLE: [{ column: "title" }], ...timestamps },
  Country: { NAME: [{ column: "name" }], ALPHA2: [{ column: "alpha2" }], ALPHA3: [{ column: "alpha3" }], ...timestamps },
  Organization: { NAME: [{ column: "name" }], KIND: [{ column: "kind" }], ...timestamps },
  Person: { NAME: [{ column: "name" }], ...timestamps },
  Position: {
    ARTICLE_ORDER: [{ column: "articleId" }, { column: "startOffset" }],
    TITLE: [{ column: "title" }],
    START_DATE: [{ column: "startDate", nullsAsEmpty: true }],
    END_DATE: [{ column: "endDate", nullsAsEmpty: true }],
    ...timestamps,
  },
  Quote: {
    ARTICLE_ORDER: [{ column: "articleId" }, { column: "startOffset" }],
    KIND: [{ column: "kind" }],
    ...timestamps,
  },
  Mention: {
    ARTICLE_ORDER: [{ column: "articleId" }, { column: "startOffset" }],
    KIND: [{ column: "kind" }],
    ...timestamps,
  },
};

/** The most criteria one `orderBy` may list. */
export const MAX_ORDER_CRITERIA = 5;

/**
 * Turns an `orderBy` argument into sort keys, always ending on the primary key so that the order
 * is total and keyset cursors are unambiguous. Without `orderBy`, the type's default order.
 */
export function resolveOrder(typeName: NodeTypeName, orderBy: readonly OrderInput[] | null | undefined): SortKey[] {
  if (!orderBy || orderBy.length === 0) return tablesByType[typeName].defaultOrder;
  if (orderBy.length > MAX_ORDER_CRITERIA) {
    throw new BadUserInputError(`\`orderBy\` may list at most ${MAX_ORDER_CRITERIA} criteria`, "orderBy");
  }
  const columns = ORDER_COLUMNS[typeName] ?? {};
  const keys: SortKey[] = [];
  for (const criterion of orderBy) {
    // An own entry only: `columns["constructor"]` would be Object's constructor.
    const mapped = Object.hasOwn(columns, criterion.field) ? columns[criterion.field] : undefined;
    if (!mapped) throw new BadUserInputError(`Cannot order ${typeName} lists by ${criterion.field}`, "orderBy");
    const direction = criterion.direction ?? "ASC";
    for (const column of mapped) {
      if (!keys.some((k) => k.column === column.column)) keys.push({ ...column, direction });
    }
  }
  keys.push({ column: "id", direction: keys[0]?.direction ?? orderBy[0].direction ?? "ASC", list: typeName });
  return keys;
}
