/**
 * AppSync's NONE data source: no call is made, and the request object's `payload` comes back as
 * `ctx.result` ("the payload is forwarded to the response handler", resolver-reference-none-js).
 */
import type { DataSource } from '../resolver-runtime';

export class NoneDataSource implements DataSource {
  readonly kind = 'NONE';

  async invoke(request: Record<string, unknown>) {
    return { result: request.payload ?? null };
  }
}
