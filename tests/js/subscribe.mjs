// Subscribes with the real `graphql-ws` client (what the mobile app uses) and prints every event as one
// JSON line on stdout: {"ready":true} once the subscription is acknowledged... then {"data":...} per item,
// {"error":...} or {"closed":code}. Used by the Rust end-to-end tests.
//
// Usage: node subscribe.mjs <ws-url> <access-token> <query> [variables-json]
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, query, variables] = process.argv.slice(2);
const print = (value) => process.stdout.write(JSON.stringify(value) + '\n');

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
  retryAttempts: 0,
  on: {
    connected: () => print({ connected: true }),
    closed: (event) => {
      print({ closed: event?.code ?? null });
      process.exit(0);
    },
  },
});

client.subscribe(
  { query, variables: variables ? JSON.parse(variables) : {} },
  {
    next: (value) => print(value),
    error: (error) => {
      print({ error: error?.code ?? String(error?.message ?? error) });
      process.exit(1);
    },
    complete: () => {
      print({ complete: true });
      process.exit(0);
    },
  },
);
