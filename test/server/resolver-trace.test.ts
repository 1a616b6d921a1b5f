/**
 * Resolver traces over HTTP: `x-scoredrive-trace: 1` adds each resolved field's steps and timings
 * to the answer's `extensions.scoredriveTrace`; without it the answer is exactly as before. With
 * the logger at debug, each field's trace is logged, one line per field, with no driverId in it.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldTraceJson, TraceStep } from '../../src/runtime/resolver-trace';
import type { Service } from '../../src/server/service';
import { startTestService, TEST_API_KEY } from '../helpers/service';

const TRACE = { 'x-api-key': TEST_API_KEY, 'x-scoredrive-trace': '1' };

/** POST /graphql; the raw body as well as the parsed one. */
async function post(service: Service, query: string, headers: Record<string, string> = { 'x-api-key': TEST_API_KEY }) {
  const response = await service.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify({ query }),
  });
  return { status: response.statusCode, raw: response.body, body: response.json() };
}

/** Whether any step of the trace called the data source `name`. */
const calls = (steps: readonly TraceStep[], name: string) =>
  steps.some((step) => (step.step === 'dataSource' || step.step === 'function') && step.dataSource === name);

const SCORE_QUERY = (driverId: string) => `{ score(driverId: "${driverId}") { driverId period score band } }`;

describe('x-scoredrive-trace', () => {
  let service: Service;
  let stop: () => Promise<void>;
  let driverId: string;
  beforeAll(async () => {
    ({ service, stop } = await startTestService());
    driverId = (await service.exampleDriverId()) as string;
  });
  afterAll(async () => stop());

  it('adds the steps and timings of each resolved field to the extensions', async () => {
    const { status, body } = await post(service, SCORE_QUERY(driverId), TRACE);
    expect(status).toBe(200);
    expect(body.data.score.driverId).toBe(driverId);
    const fields: FieldTraceJson[] = body.extensions.scoredriveTrace.fields;
    expect(fields).toHaveLength(1);
    const [field] = fields as [FieldTraceJson];
    expect(field).toMatchObject({ path: ['score'], field: 'Query.score' });
    expect(['unit', 'pipeline']).toContain(field.kind);
    expect(field.durationMs).toBeGreaterThanOrEqual(0);
    expect(calls(field.steps, 'scores')).toBe(true);
    for (const step of field.steps) expect(step.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('changes nothing else in the answer, and without the header adds nothing at all', async () => {
    const traced = await post(service, SCORE_QUERY(driverId), TRACE);
    const plain = await post(service, SCORE_QUERY(driverId));
    expect(plain.body).not.toHaveProperty('extensions');
    const { extensions: _trace, ...rest } = traced.body;
    expect(plain.raw).toBe(JSON.stringify(rest));
  });

  it('takes only the value 1 as asking for a trace', async () => {
    for (const value of ['0', 'true', '']) {
      const { body } = await post(service, SCORE_QUERY(driverId), { ...TRACE, 'x-scoredrive-trace': value });
      expect(body).not.toHaveProperty('extensions');
    }
  });

  it('lists the fields in the order of the query, under their aliases', async () => {
    const { body } = await post(
      service,
      `{ latest: score(driverId: "${driverId}") { score } batch: scores(driverIds: ["${driverId}"], period: "2000-01") { score } }`,
      TRACE,
    );
    const fields: FieldTraceJson[] = body.extensions.scoredriveTrace.fields;
    expect(fields.map((f) => [f.path, f.field])).toEqual([
      [['latest'], 'Query.score'],
      [['batch'], 'Query.scores'],
    ]);
  });

  it("gives an error's type, and never its message, beside the answer's errors", async () => {
    const { body } = await post(service, SCORE_QUERY('not a valid id!'), TRACE);
    expect(body.errors[0].errorType).toBe('ValidationError');
    const [field] = body.extensions.scoredriveTrace.fields as [FieldTraceJson];
    expect(field.errorTypes).toEqual(['ValidationError']);
    expect(field.steps.some((step) => step.errorType === 'ValidationError')).toBe(true);
    expect(JSON.stringify(body.extensions)).not.toContain('not a valid id');
  });

  it('answers a request that runs no resolver with an empty trace', async () => {
    const { body } = await post(service, '{ __typename }', TRACE);
    expect(body).toEqual({ data: { __typename: 'Query' }, extensions: { scoredriveTrace: { fields: [] } } });
  });
});

describe('resolver traces in the debug log', () => {
  let stop: () => Promise<void>;
  let service: Service;
  let driverId: string;
  const lines: Record<string, unknown>[] = [];
  let text = '';
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
        done();
      },
    });
    ({ service, stop } = await startTestService({ logger: pino({ level: 'debug' }, sink) }));
    driverId = (await service.exampleDriverId()) as string;
  });
  afterAll(async () => stop());

  const traceLines = () => lines.filter((line) => line.msg === 'resolver trace');

  it('logs one line per resolved field, header or not, with no driverId in it', async () => {
    const before = traceLines().length;
    // The driverId is a valid GraphQL name: as an alias too it must not reach the log.
    const query = `{ ${driverId}: score(driverId: "${driverId}") { score } history: scoreHistory(driverId: "${driverId}") { items { score } } }`;
    // The two root fields resolve concurrently, so their lines come in the order they finish:
    // each request's lines are compared as a set.
    const fieldsLoggedBy = async (send: () => Promise<unknown>) => {
      const from = traceLines().length;
      await send();
      return traceLines()
        .slice(from)
        .map((line) => (line.resolverTrace as FieldTraceJson).field)
        .sort();
    };
    let plainBody: unknown;
    const plainFields = await fieldsLoggedBy(async () => {
      plainBody = (await post(service, query)).body;
    });
    expect(plainBody).not.toHaveProperty('extensions');
    expect(plainFields).toEqual(['Query.score', 'Query.scoreHistory']);
    expect(await fieldsLoggedBy(() => post(service, query, TRACE))).toEqual(['Query.score', 'Query.scoreHistory']);
    expect(await fieldsLoggedBy(() => post(service, SCORE_QUERY(`${driverId}X!`), TRACE))).toEqual(['Query.score']);
    const logged = traceLines().slice(before);
    expect(logged).toHaveLength(5);
    expect(logged.map((line) => line.level)).toEqual(Array(5).fill(20));
    const traces = logged.map((line) => line.resolverTrace as FieldTraceJson);
    expect(traces.every((t) => t.path.length === 1 && `Query.${t.path[0]}` === t.field)).toBe(true);
    expect(traces.every((t) => calls(t.steps, 'scores') || t.errorTypes?.includes('ValidationError'))).toBe(true);
    expect(text).toContain('resolver trace');
    expect(text).not.toContain(driverId);
  });
});
