/** The benchmark's named queries (issue "Benchmark"), shared by the runner and the baseline. */

export const Q1 = `query Q1($id: ID!) {
  node(id: $id) {
    ... on Person {
      id
      name
      aliases
      description
      country { name alpha2 }
      positions(first: 20) { nodes { title startDate endDate organization { name } } }
      quotes(first: 20, orderBy: [{ field: CREATED_AT, direction: DESC }]) { nodes { id text kind } }
    }
  }
}`;

export const Q2 = `query Q2 {
  countries(first: 20) {
    nodes {
      name
      people(first: 20) {
        nodes {
          name
          positions { nodes { title organization { name } } }
          quotes(first: 5) { nodes { text } }
        }
      }
    }
  }
}`;

export const Q3 = `query Q3($q: String!) {
  search(query: $q, first: 20) {
    edges { score snippet node { __typename ... on Quote { id text } ... on Person { id name } ... on Organization { id name } ... on Article { id title } } }
  }
}`;

export const Q4 = `query Q4($after: String) {
  people(first: 20, after: $after) { nodes { id name } pageInfo { endCursor hasNextPage } }
}`;

export const Q5 = `query Q5($code: String!) {
  people(first: 20, filter: {
    country: { alpha2: { eq: $code } }
    positions: { some: { title: { containsIgnoreCase: "minister" } } }
  }) {
    totalCount
    nodes { name positions { nodes { title } } }
  }
}`;

/**
 * A frontend's typical small request (issue 18): one node, a few fields and a short list. Its
 * SQL is a few index look-ups, so what it measures is everything else a request costs.
 */
export const Q6 = `query Q6($id: ID!) {
  node(id: $id) {
    ... on Person { id name description country { name } quotes(first: 5) { nodes { text } } }
  }
}`;
