// Downloads the schema from a running server with graphql-js's standard introspection query (what GraphiQL,
// codegen and schema-diff tools send, asking for `@oneOf` inputs as current tools do) and compares it with an SDL file: `node introspect.mjs <url> <sdl>`.
// Prints the first differing lines and exits 1 when they differ, 2 when the query is refused.
import { readFileSync } from "node:fs";
import { buildClientSchema, buildSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema } from "graphql";

const [url, sdlPath] = process.argv.slice(2);
const response = await fetch(url, {
  method: "POST",
  headers: { "content-type": "application/json", accept: "application/json" },
  body: JSON.stringify({ query: getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, oneOf: true }) }),
});
const result = await response.json();
if (result.errors || !result.data) {
  console.error(JSON.stringify(result.errors ?? result));
  process.exit(2);
}
const print = (schema) => printSchema(lexicographicSortSchema(schema)).split("\n");
const live = print(buildClientSchema(result.data));
const file = print(buildSchema(readFileSync(sdlPath, "utf8")));
for (let i = 0; i < Math.max(live.length, file.length); i++) {
  if (live[i] !== file[i]) {
    console.error(`line ${i + 1}:\n  live: ${live[i]}\n  file: ${file[i]}`);
    process.exit(1);
  }
}
console.log(`same schema: ${live.length} lines`);
