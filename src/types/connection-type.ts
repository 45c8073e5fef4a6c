import { ArgsType, ClassType, Field, Int, ObjectType } from "type-graphql";
import { encodeCursor, Page } from "../sql/pagination";
import { SortKey } from "../sql/tables";

/** Relay's page information. */
@ObjectType("PageInfo", { simpleResolvers: true, description: "Where a page sits in its list, for fetching the next or previous page." })
export class PageInfo {
  @Field(() => Boolean, { description: "Whether more items follow this page (ask with `first` and `after: endCursor`)." })
  hasNextPage!: boolean;

  @Field(() => Boolean, {
    description: "Whether items come before this page (ask with `last` and `before: startCursor`).",
  })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: "The cursor of the first item of this page; null when the page is empty." })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: "The cursor of the last item of this page; null when the page is empty." })
  endCursor!: string | null;
}

/** The standard Relay arguments every list takes. */
@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, {
    nullable: true,
    description: "Returns the first n items (1 to 100). Defaults to 20 when neither `first` nor `last` is given.",
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "Returns the items after this cursor." })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: "Returns the last n items (1 to 100)." })
  last?: number | null;

  @Field(() => String, { nullable: true, description: "Returns the items before this cursor." })
  before?: string | null;
}

/**
 * The data behind a connection: the page is fetched only when edges, nodes or pageInfo are
 * asked for, and the count only when `totalCount` is, so `{ people { totalCount } }` is one
 * COUNT statement and never loads a row. A page already at hand is returned as is, so the
 * executor completes it without a promise.
 */
export interface ConnectionSource<T> {
  order: readonly SortKey[];
  page: () => Page<T> | Promise<Page<T>>;
  count: () => Promise<number>;
}

/** Applies `fn` to a value or to the value a promise resolves to, keeping synchronous values synchronous. */
function then<A, B>(value: A | Promise<A>, fn: (a: A) => B): B | Promise<B> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}

/** The shape shared by every generated `XConnection` class. */
export interface ConnectionLike<T> {
  source: ConnectionSource<T>;
}

/** The GraphQL edge and connection classes for one node type. */
export interface ConnectionClasses<T> {
  Connection: ClassType<ConnectionLike<T>>;
  create(source: ConnectionSource<T>): ConnectionLike<T>;
}

/** Builds `XEdge` and `XConnection` for a node type, as GitHub's API names them. */
export function connectionType<T extends object>(nodeType: ClassType<T>, name: string, plural: string): ConnectionClasses<T> {
  @ObjectType(`${name}Edge`, { simpleResolvers: true, description: `An edge in a list of ${plural}: one ${name} and its cursor.` })
  class Edge {
    @Field(() => String, { description: "An opaque cursor for this item, for `after` and `before`." })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${name} at the end of this edge.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${plural}, with Relay cursors and the total count.` })
  class Connection implements ConnectionLike<T> {
    source!: ConnectionSource<T>;

    @Field(() => [Edge], { description: "The items of this page with their cursors." })
    edges(): Edge[] | Promise<Edge[]> {
      return then(this.source.page(), (page) =>
        page.rows.map((node, i) => ({ node, cursor: encodeCursor(this.source.order, page.raw[i]) })),
      );
    }

    @Field(() => [nodeType], { description: "The items of this page, without cursors." })
    nodes(): T[] | Promise<T[]> {
      return then(this.source.page(), (page) => page.rows);
    }

    @Field(() => PageInfo, { description: "Information for fetching the next or previous page." })
    pageInfo(): PageInfo | Promise<PageInfo> {
      return then(this.source.page(), (page) => {
        const first = page.raw[0];
        const last = page.raw[page.raw.length - 1];
        return {
          hasNextPage: page.hasNextPage,
          hasPreviousPage: page.hasPreviousPage,
          startCursor: first ? encodeCursor(this.source.order, first) : null,
          endCursor: last ? encodeCursor(this.source.order, last) : null,
        };
      });
    }

    @Field(() => Int, { description: "How many items the whole list holds, over all pages." })
    async totalCount(): Promise<number> {
      return this.source.count();
    }
  }

  return {
    Connection,
    create(source) {
      const connection = new Connection();
      let page: Page<T> | Promise<Page<T>> | undefined;
      let failure: { error: unknown } | undefined;
      // A failed fetch fails every field that needs the page, without running it again.
      const load = (): Page<T> | Promise<Page<T>> => {
        if (failure) throw failure.error;
        try {
          return (page ??= source.page());
        } catch (error) {
          failure = { error };
          throw error;
        }
      };
      connection.source = { ...source, page: load };
      return connection;
    },
  };
}
