/**
 * Whether the store answers, for /health: a DescribeTable of the scores table, at most once a
 * second whatever the rate of health checks (/health needs no key, so it must not become a way
 * to load the store), with concurrent checks sharing one call.
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

export type StoreHealth =
  | { readonly reachable: true; readonly tableStatus: string }
  | { readonly reachable: false; readonly problem: string };

export interface StoreProbeOptions {
  /** How long an answer is reused, in ms. */
  readonly reuseMs?: number;
  /** Called with the underlying error when the store cannot be reached (for the server's log). */
  readonly onUnreachable?: (error: unknown) => void;
  readonly now?: () => number;
}

/**
 * What the caller may be told about a failure: the error's name or system code, never its
 * message (which names internal hosts and ports: `connect ECONNREFUSED 127.0.0.1:4301`).
 */
function problemOf(error: unknown): string {
  const { code, name, $metadata } = error as {
    code?: unknown;
    name?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return `the store cannot be reached (${code})`;
  if ($metadata?.httpStatusCode !== undefined && typeof name === 'string') {
    return `the store answered ${$metadata.httpStatusCode} ${name}`;
  }
  return 'the store cannot be reached';
}

export function storeProbe(
  client: DynamoDBClient,
  tableName: string,
  options: StoreProbeOptions = {},
): () => Promise<StoreHealth> {
  const reuseMs = options.reuseMs ?? 1000;
  const now = options.now ?? Date.now;
  let last: { at: number; health: Promise<StoreHealth> } | undefined;
  const check = async (): Promise<StoreHealth> => {
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      return { reachable: true, tableStatus: Table?.TableStatus ?? 'UNKNOWN' };
    } catch (error) {
      options.onUnreachable?.(error);
      return { reachable: false, problem: problemOf(error) };
    }
  };
  return () => {
    if (!last || now() - last.at >= reuseMs) last = { at: now(), health: check() };
    return last.health;
  };
}
