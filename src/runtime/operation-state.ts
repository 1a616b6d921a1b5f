/**
 * What the fields of one GraphQL operation share in AppSync: the custom response headers
 * (util.http) and the subscription invalidations (extensions.invalidateSubscriptions).
 */
import { ResponseHeaders } from './util/http';

export class OperationState {
  readonly responseHeaders = new ResponseHeaders();
  /** The distinct invalidations asked for, as JSON. */
  readonly invalidations = new Set<string>();
}
