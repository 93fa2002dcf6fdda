// Drives Apollo Client's own persisted-query link (GET for hashed queries, as the mobile app configures it)
// against a running server: `node apq.mjs <url>`. Checks the protocol as the link speaks it: the first
// request sends the hash alone by GET, the server does not know it, the link sends the text by POST, and the
// next request sends the hash alone again and is answered. Exits 1 with the requests seen when it is not so.
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { createHash } from "node:crypto";

const [url] = process.argv.slice(2);
const seen = [];
const recordingFetch = async (input, init = {}) => {
  const target = new URL(String(input));
  const body = init.body ? JSON.parse(init.body) : {};
  seen.push({
    method: init.method ?? "GET",
    hasText: Boolean(body.query ?? target.searchParams.get("query")),
    hasHash: JSON.stringify(body.extensions ?? target.searchParams.get("extensions") ?? "").includes("sha256Hash"),
  });
  const response = await fetch(input, init);
  seen[seen.length - 1].status = response.status;
  return response;
};

const link = new PersistedQueryLink({
  sha256: (text) => createHash("sha256").update(text).digest("hex"),
  useGETForHashedQueries: true,
}).concat(new HttpLink({ uri: url, fetch: recordingFetch }));
const client = new ApolloClient({ link, cache: new InMemoryCache() });
const query = gql`
  query ApqDeputies {
    deputies(first: 2) {
      totalCount
      nodes { id name }
    }
  }
`;

const first = await client.query({ query, fetchPolicy: "network-only" });
const second = await client.query({ query, fetchPolicy: "network-only" });
const fail = (why) => {
  console.error(`${why}\nrequests: ${JSON.stringify(seen)}`);
  process.exit(1);
};
if (!(first.data?.deputies?.totalCount > 0)) fail(`no data: ${JSON.stringify(first)}`);
if (JSON.stringify(first.data) !== JSON.stringify(second.data)) fail("the two answers differ");
const expected = [
  { method: "GET", hasText: false, hasHash: true },
  { method: "POST", hasText: true, hasHash: true },
  { method: "GET", hasText: false, hasHash: true },
];
const shape = seen.map(({ method, hasText, hasHash }) => ({ method, hasText, hasHash }));
if (JSON.stringify(shape) !== JSON.stringify(expected)) fail("not the persisted-query exchange expected");
console.log(`persisted queries work with Apollo Client: ${JSON.stringify(seen)}`);
