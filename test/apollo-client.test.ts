/**
 * The recommended Apollo Client 4 set-up (`client/apollo.ts`, shown in docs/frontends.md) against
 * the real server over HTTP: pages fetched with `fetchMore` end up as one list whether the query
 * selects `nodes` (the README's style) or `edges`, and `possibleTypes` keeps the fields of
 * `... on Node { id }` on `node` and `search` results.
 */
import { ApolloClient, gql, HttpLink, InMemoryCache, ObservableQuery, OperationVariables, TypedDocumentNode } from "@apollo/client";
import type { InMemoryCacheConfig } from "@apollo/client/cache";
import { relayStylePagination } from "@apollo/client/utilities";
import { connectionPagination, newsKbCacheConfig, newsKbPossibleTypes } from "../client/apollo";
import { createTestServer, postGraphql, TestServer } from "./helpers";

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}
interface PeopleByNodes {
  people: { totalCount: number; nodes: Array<{ id: string; name: string }>; pageInfo: PageInfo };
}
interface PeopleByEdges {
  people: { totalCount: number; edges: Array<{ cursor: string; node: { id: string; name: string } }>; pageInfo: PageInfo };
}
type PagingVariables = {
  first: number;
  after?: string | null;
};

/** The README's style: `nodes` and `pageInfo`, no edges. */
const PEOPLE_BY_NODES: TypedDocumentNode<PeopleByNodes, PagingVariables> = gql`
  query PeopleByNodes($first: Int!, $after: String) {
    people(first: $first, after: $after) {
      totalCount
      nodes { id name }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

const PEOPLE_BY_EDGES: TypedDocumentNode<PeopleByEdges, PagingVariables> = gql`
  query PeopleByEdges($first: Int!, $after: String) {
    people(first: $first, after: $after) {
      totalCount
      edges { cursor node { id name } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

let server: TestServer;
let url: string;
/** Every person's ID in the server's own order, from one request of 100. */
let allIds: string[];
/** A page size that takes exactly three pages to cover every person. */
let pageSize: number;

beforeAll(async () => {
  server = await createTestServer();
  url = await server.listen();
  const { json } = await postGraphql(url, { query: "{ people(first: 100) { totalCount nodes { id } } }" });
  const people = (json.data as { people: { totalCount: number; nodes: Array<{ id: string }> } }).people;
  allIds = people.nodes.map((person) => person.id);
  expect(allIds.length).toBe(people.totalCount);
  pageSize = Math.ceil(allIds.length / 3);
  // Three pages, the last one possibly short but never empty.
  expect(pageSize * 2).toBeLessThan(allIds.length);
});

afterAll(async () => {
  await server.close();
});

function newClient(cache: InMemoryCacheConfig): ApolloClient {
  return new ApolloClient({ link: new HttpLink({ uri: url }), cache: new InMemoryCache(cache) });
}

/** Waits for a watched query's first complete result (a subscriber makes it fetch). */
async function firstResult<T, V extends OperationVariables>(observable: ObservableQuery<T, V>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const subscription = observable.subscribe({
      next: (result) => {
        if (result.dataState === "complete") {
          resolve(result.data as T);
          queueMicrotask(() => subscription.unsubscribe());
        }
      },
      error: reject,
    });
  });
}

/**
 * Fetches the first page, then `fetchMore`s with each page's `endCursor` until the last, and
 * returns what the cache holds for the list afterwards.
 */
async function pageThrough<T>(
  client: ApolloClient,
  query: TypedDocumentNode<T, PagingVariables>,
  pageInfoOf: (data: T) => PageInfo,
): Promise<{ pages: number; cached: T }> {
  const observable = client.watchQuery({ query, variables: { first: pageSize } });
  // Kept subscribed, as a component would be, so fetchMore updates the watched result.
  const subscription = observable.subscribe({});
  try {
    let data: T = await firstResult<T, PagingVariables>(observable);
    let pages = 1;
    while (pageInfoOf(data).hasNextPage) {
      const more = await observable.fetchMore({ variables: { after: pageInfoOf(data).endCursor } });
      data = more.data as T;
      pages += 1;
    }
    const cached = client.readQuery({ query, variables: { first: pageSize } });
    if (!cached) throw new Error("the cache holds nothing for the list");
    return { pages, cached };
  } finally {
    subscription.unsubscribe();
  }
}

describe("pagination with Apollo Client 4 and the recommended cache set-up", () => {
  it("keeps every page in order without duplicates when the query selects nodes", async () => {
    const client = newClient(newsKbCacheConfig());
    const { pages, cached } = await pageThrough(client, PEOPLE_BY_NODES, (data) => data.people.pageInfo);
    expect(pages).toBe(3);
    expect(cached.people.nodes.map((person) => person.id)).toEqual(allIds);
    expect(cached.people.pageInfo.hasNextPage).toBe(false);
    expect(cached.people.totalCount).toBe(allIds.length);
    client.stop();
  });

  it("keeps every page in order without duplicates when the query selects edges", async () => {
    const client = newClient(newsKbCacheConfig());
    const { pages, cached } = await pageThrough(client, PEOPLE_BY_EDGES, (data) => data.people.pageInfo);
    expect(pages).toBe(3);
    expect(cached.people.edges.map((edge) => edge.node.id)).toEqual(allIds);
    expect(new Set(cached.people.edges.map((edge) => edge.cursor)).size).toBe(allIds.length);
    expect(cached.people.pageInfo.hasNextPage).toBe(false);
    client.stop();
  });

  it("keeps lists with different filters apart, and pages of one filter together", async () => {
    const client = newClient(newsKbCacheConfig());
    const filtered = gql`
      query Filtered($first: Int!, $after: String, $country: String!) {
        people(first: $first, after: $after, filter: { country: { alpha2: { eq: $country } } }) {
          nodes { id }
          pageInfo { hasNextPage endCursor }
        }
      }
    `;
    const russians = await client.query({ query: filtered, variables: { first: 100, country: "RU" } });
    await client.query({ query: PEOPLE_BY_NODES, variables: { first: pageSize } });
    const again = client.readQuery({ query: filtered, variables: { first: 1, country: "RU" } });
    expect(again).toEqual(russians.data);
    const all = client.readQuery({ query: PEOPLE_BY_NODES, variables: { first: pageSize } });
    expect(all?.people.nodes.map((person) => person.id)).toEqual(allIds.slice(0, pageSize));
    client.stop();
  });

  it("loses every page but the last with Apollo's relayStylePagination when the query selects nodes (why connectionPagination exists)", async () => {
    const client = newClient({ typePolicies: { Query: { fields: { people: relayStylePagination() } } } });
    const { pages, cached } = await pageThrough(client, PEOPLE_BY_NODES, (data) => data.people.pageInfo);
    expect(pages).toBe(3);
    expect(cached.people.nodes.map((person) => person.id)).toEqual(allIds.slice(pageSize * 2));
    client.stop();
  });

  it("merges pages of any connection field it is given, nested ones too", async () => {
    const client = newClient({ typePolicies: { Person: { fields: { quotes: connectionPagination() } } }, possibleTypes: newsKbPossibleTypes });
    const query = gql`
      query SpeakerQuotes($first: Int!, $after: String) {
        people(first: 100) {
          nodes {
            id
            quotes(first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } }
          }
        }
      }
    `;
    const { data } = await client.query({ query, variables: { first: 100 } });
    const people = (data as { people: { nodes: Array<{ id: string; quotes: { nodes: Array<{ id: string }> } }> } }).people.nodes;
    const speaker = people.reduce((most, person) => (person.quotes.nodes.length > most.quotes.nodes.length ? person : most));
    expect(speaker.quotes.nodes.length).toBeGreaterThanOrEqual(2);
    const ids = speaker.quotes.nodes.map((quote) => quote.id);

    const fresh = newClient({ typePolicies: { Person: { fields: { quotes: connectionPagination() } } }, possibleTypes: newsKbPossibleTypes });
    const one = gql`
      query OnePersonQuotes($id: ID!, $first: Int!, $after: String) {
        node(id: $id) { id ... on Person { quotes(first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }
      }
    `;
    type OneData = { node: { id: string; quotes: { nodes: Array<{ id: string }>; pageInfo: PageInfo } } };
    const observable = fresh.watchQuery<OneData, { id: string; first: number; after?: string | null }>({ query: one, variables: { id: speaker.id, first: 1 } });
    const subscription = observable.subscribe({});
    let page = await firstResult(observable);
    while (page.node.quotes.pageInfo.hasNextPage) {
      page = (await observable.fetchMore({ variables: { after: page.node.quotes.pageInfo.endCursor } })).data as OneData;
    }
    const cached = fresh.readQuery<OneData>({ query: one, variables: { id: speaker.id, first: 1 } });
    expect(cached?.node.quotes.nodes.map((quote) => quote.id)).toEqual(ids);
    subscription.unsubscribe();
    client.stop();
    fresh.stop();
  });
});

describe("possibleTypes with Apollo Client 4", () => {
  const SEARCH = gql`
    query Find($text: String!) {
      search(query: $text, first: 10) {
        nodes {
          __typename
          ... on Node { id }
          ... on Person { name }
        }
      }
    }
  `;
  const NODE = gql`
    query Look($id: ID!) {
      node(id: $id) {
        ... on Node { id }
        ... on Person { name }
      }
    }
  `;
  type Found = { search: { nodes: Array<{ __typename: string; id?: string; name?: string }> } };

  it("keeps the id selected through ... on Node on search results", async () => {
    const client = newClient(newsKbCacheConfig());
    const { data } = await client.query<Found>({ query: SEARCH, variables: { text: "Haftar" } });
    const nodes = (data as Found).search.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) expect(node.id).toEqual(expect.any(String));
    expect(nodes.some((node) => node.__typename === "Person" && node.name === "Khalifa Haftar")).toBe(true);
    client.stop();
  });

  it("keeps the id selected through ... on Node on a node look-up", async () => {
    const client = newClient(newsKbCacheConfig());
    const id = allIds[0];
    const { data } = await client.query({ query: NODE, variables: { id } });
    expect((data as { node: { id?: string } }).node.id).toBe(id);
    client.stop();
  });

  it("loses the id selected through ... on Node without possibleTypes (why possibleTypes.json exists)", async () => {
    const client = newClient({});
    const { data } = await client.query<Found>({ query: SEARCH, variables: { text: "Haftar" }, errorPolicy: "all" });
    const nodes = (data as Found | undefined)?.search.nodes ?? [];
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((node) => node.id === undefined)).toBe(true);
    client.stop();
  });
});
