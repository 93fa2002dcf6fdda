// Runs the GraphQL-over-HTTP spec's own audit suite (graphql-http's `auditServer`) against a running server:
// `node audit.mjs <url>`. Prints one line per audit and a summary; exits 1 when any MUST (error) or SHOULD
// (warn) audit fails. MAY audits ("notice") are reported but do not fail the run.
import { auditServer } from "graphql-http";

const [url] = process.argv.slice(2);
const results = await auditServer({ url });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const result of results) {
  counts[result.status] += 1;
  const why = result.status === "ok" ? "" : ` — ${result.reason}`;
  console.log(`${result.status.padEnd(6)} ${result.id} ${result.name}${why}`);
}
console.log(
  `${results.length} audits: ${counts.ok} ok, ${counts.error} MUST failed, ${counts.warn} SHOULD failed, ${counts.notice} MAY not met`,
);
process.exit(counts.error + counts.warn > 0 ? 1 : 0);
