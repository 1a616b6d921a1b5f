/**
 * The offline server's Prometheus metrics (prom-client), served at GET /metrics. Labels name
 * routes by their resource (`Query.score`, `/drivers/{driverId}/score`), never by a concrete
 * path, so no driverId can reach a label.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ApiName } from '../sla/report-model';
import { type ApiCall, outcomeOf } from './api-call';

/**
 * Request latency buckets, in seconds: dense from 1 ms to 50 ms where the service answers, then
 * on to 10 s, with an edge at exactly 1 s (the SLA), so p99.8 and the share within 1000 ms can
 * be read off the histogram (histogram_quantile(0.998, ...)).
 */
const REQUEST_BUCKETS = [
  0.001, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25,
  0.3, 0.4, 0.5, 0.6, 0.75, 0.9, 1, 1.25, 1.5, 2, 3, 5, 10,
];

/** Data-source calls are faster: finer at the low end. */
const DATA_SOURCE_BUCKETS = [
  0.0002, 0.0005, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1,
  2.5, 5,
];

export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'api' | 'resource' | 'status' | 'outcome'>;
  private readonly duration: Histogram<'api' | 'resource' | 'outcome'>;
  private readonly inFlight: Gauge<'api'>;
  private readonly dataSource: Histogram<'operation' | 'outcome'>;
  /** Label children by route, status and outcome: a handful, bounded by the routes and statuses. */
  private readonly series = new Map<
    string,
    { count: ReturnType<Counter['labels']>; duration: ReturnType<Histogram['labels']> }
  >();
  private readonly dataSourceSeries = new Map<string, ReturnType<Histogram['labels']>>();
  private readonly inFlightSeries = new Map<ApiName, ReturnType<Gauge['labels']>>();

  constructor(options: { stage: string }) {
    this.registry.setDefaultLabels({ stage: options.stage });
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'scoredrive_requests_total',
      help: 'API calls answered, by API, resource, HTTP status and outcome (ok, 4xx, 5xx; GraphQL errors included)',
      labelNames: ['api', 'resource', 'status', 'outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: 'scoredrive_request_duration_seconds',
      help: 'Time from a request’s arrival to its last byte, by API, resource and outcome',
      labelNames: ['api', 'resource', 'outcome'],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.inFlight = new Gauge({
      name: 'scoredrive_requests_in_flight',
      help: 'API calls received and not yet answered',
      labelNames: ['api'],
      registers,
    });
    this.dataSource = new Histogram({
      name: 'scoredrive_datasource_duration_seconds',
      help: 'DynamoDB calls made by resolvers and REST integrations, by operation and outcome',
      labelNames: ['operation', 'outcome'],
      buckets: DATA_SOURCE_BUCKETS,
      registers,
    });
  }

  started(api: ApiName): void {
    this.inFlightOf(api).inc();
  }

  finished(call: ApiCall): void {
    const outcome = outcomeOf(call);
    this.inFlightOf(call.api).dec();
    const key = `${call.api} ${call.resource} ${call.status} ${outcome}`;
    let series = this.series.get(key);
    if (!series) {
      // prom-client hashes the label set on every inc/observe; a route's children are looked up once.
      series = {
        count: this.requests.labels({ api: call.api, resource: call.resource, status: String(call.status), outcome }),
        duration: this.duration.labels({ api: call.api, resource: call.resource, outcome }),
      };
      this.series.set(key, series);
    }
    series.count.inc();
    series.duration.observe(call.latencyMs / 1000);
  }

  dataSourceCall(operation: string, seconds: number, ok: boolean): void {
    const key = `${operation} ${ok}`;
    let child = this.dataSourceSeries.get(key);
    if (!child) {
      child = this.dataSource.labels({ operation, outcome: ok ? 'ok' : 'error' });
      this.dataSourceSeries.set(key, child);
    }
    child.observe(seconds);
  }

  private inFlightOf(api: ApiName): ReturnType<Gauge['labels']> {
    let child = this.inFlightSeries.get(api);
    if (!child) {
      child = this.inFlight.labels({ api });
      this.inFlightSeries.set(api, child);
    }
    return child;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
