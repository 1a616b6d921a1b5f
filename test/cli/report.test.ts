/** `scoredrive report` as an operator and a monthly job run it: files written, summary, exit codes. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHECK_EXIT, monthRange, parseTime, reportCommand } from '../../src/cli/report';
import { writeFixtureLog } from '../helpers/access-log-fixture';
import { tempDir } from '../helpers/service';

let dir: string;
let remove: () => Promise<void>;
let printed: string[];
beforeEach(async () => {
  ({ dir, remove } = await tempDir('scoredrive-report-cli-'));
  printed = [];
  vi.spyOn(console, 'log').mockImplementation((...args) => printed.push(args.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...args) => printed.push(args.join(' ')));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await remove();
});

const options = (extra: Record<string, unknown> = {}) => ({
  logs: dir,
  dataDir: dir,
  stage: 'prod',
  out: path.join(dir, 'out', 'report.html'),
  check: true,
  ...extra,
});

describe('scoredrive report', () => {
  it('writes the HTML and JSON, prints the summary, and exits 0 when the SLA holds', async () => {
    await writeFixtureLog(dir, 2);
    const json = path.join(dir, 'report.json');
    expect(await reportCommand(options({ json, from: '2026-11-01', to: '2026-11-01T01:00:00Z' }))).toBe(CHECK_EXIT.met);
    const html = await readFile(path.join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toContain('MET');
    const data = JSON.parse(await readFile(json, 'utf8'));
    expect(data.summary.total.calls).toBe(1503);
    const text = printed.join('\n');
    expect(text).toContain('SLA: MET — 99.865% of positive answers within 1,000 ms');
    expect(text).toMatch(/Total\s+1,503\s+7\s+4/);
  });

  it('exits 1 when the SLA is broken', async () => {
    await writeFixtureLog(dir, 4);
    expect(await reportCommand(options({ from: '2026-11-01', to: '2026-11-01T01:00:00Z' }))).toBe(CHECK_EXIT.broken);
    expect(printed.join('\n')).toContain('SLA: BROKEN — 99.732%');
  });

  it('exits 3 for a month with no calls: nothing proves the SLA', async () => {
    await writeFixtureLog(dir);
    expect(await reportCommand(options({ month: '2026-12' }))).toBe(CHECK_EXIT.noData);
    expect(printed.join('\n')).toContain('SLA: NO DATA');
  });

  it('exits 3, not 2, for a month of an empty log, and 2 for a log directory that is not there', async () => {
    expect(await reportCommand(options({ month: '2026-11', stage: undefined }))).toBe(CHECK_EXIT.noData);
    expect(await reportCommand(options({ month: '2026-11', logs: path.join(dir, 'missing') }))).toBe(CHECK_EXIT.input);
    expect(printed.join('\n')).toContain('no access log directory at');
  });

  it('exits 4 when CloudWatch cannot be read: "could not check" never reads as "broken"', async () => {
    const cloudWatch = mockClient(CloudWatchClient);
    cloudWatch
      .on(GetMetricDataCommand)
      .rejects(Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' }));
    try {
      expect(await reportCommand(options({ graphqlApiId: 'abc123', region: 'eu-south-1', month: '2026-10' }))).toBe(
        CHECK_EXIT.sourceFailed,
      );
    } finally {
      cloudWatch.restore();
    }
    expect(printed.join('\n')).toContain('could not read the metrics: ');
    expect(printed.join('\n')).toContain('Could not load credentials');
  });

  it('without --check, reports a broken SLA but exits 0', async () => {
    await writeFixtureLog(dir, 4);
    expect(await reportCommand(options({ check: false }))).toBe(0);
  });

  it('exits 2 with a clear message for bad input', async () => {
    await writeFixtureLog(dir);
    expect(await reportCommand(options({ from: 'yesterday' }))).toBe(CHECK_EXIT.input);
    expect(await reportCommand(options({ month: '2026-13' }))).toBe(CHECK_EXIT.input);
    expect(await reportCommand(options({ month: 'last', from: '2026-11-01' }))).toBe(CHECK_EXIT.input);
    expect(await reportCommand(options({ stage: undefined }))).toBe(CHECK_EXIT.input);
    expect(await reportCommand(options({ graphqlApiId: 'abc', stage: undefined }))).toBe(CHECK_EXIT.input);
    expect(printed).toEqual([
      expect.stringContaining('--from: expected a date (2026-10-01) or an ISO-8601 time, got yesterday'),
      expect.stringContaining('--month: expected YYYY-MM or "last", got 2026-13'),
      expect.stringContaining('--month cannot be combined with --from or --to'),
      expect.stringContaining('several stages (prod, test); choose one with --stage'),
      expect.stringContaining('a CloudWatch report needs --stage'),
    ]);
  });
});

describe('report dates', () => {
  it('reads days as UTC midnight and months as whole calendar months', () => {
    expect(parseTime('2026-10-01', '--from').toISOString()).toBe('2026-10-01T00:00:00.000Z');
    expect(parseTime('2026-10-01T12:30:00+02:00', '--from').toISOString()).toBe('2026-10-01T10:30:00.000Z');
    expect(monthRange('2026-02', new Date())).toEqual({
      from: new Date('2026-02-01T00:00:00Z'),
      to: new Date('2026-03-01T00:00:00Z'),
    });
    // "last" from January is December of the year before: what a job on the 1st of the month reports.
    expect(monthRange('last', new Date('2027-01-01T03:00:00Z'))).toEqual({
      from: new Date('2026-12-01T00:00:00Z'),
      to: new Date('2027-01-01T00:00:00Z'),
    });
  });
});
