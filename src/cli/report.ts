/**
 * `scoredrive report`: the SLA report of a stage over a date range, from the offline access log
 * or from a deployed stage's CloudWatch metrics, written as one HTML file (and JSON on request),
 * summarised on the terminal. With `--check` it is the unattended monthly SLA check: the exit
 * code says whether the SLA held.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { accessLogReport, ReportInputError } from '../sla/access-log-source';
import type { SlaReport } from '../sla/report-model';
import { reportText } from '../sla/report-text';

export interface ReportCommandOptions {
  readonly logs?: string;
  readonly dataDir: string;
  readonly stage?: string;
  readonly from?: string;
  readonly to?: string;
  readonly month?: string;
  readonly out: string;
  readonly json?: string;
  readonly check: boolean;
  readonly region?: string;
  readonly graphqlApiId?: string;
  readonly restApiName?: string;
  readonly now?: Date;
}

/**
 * Exit codes of `--check`, for schedulers: 0 met, 1 broken, 2 bad input, 3 nothing to judge,
 * 4 the source could not be read (no AWS credentials, CloudWatch refusing, an unreadable log):
 * "could not check" must never read as "broken".
 */
export const CHECK_EXIT = { met: 0, broken: 1, input: 2, noData: 3, sourceFailed: 4 } as const;

/** `2026-10-01` (midnight UTC) or a full ISO-8601 time. */
export function parseTime(value: string, option: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new ReportInputError(`${option}: expected a date (2026-10-01) or an ISO-8601 time, got ${value}`);
  return date;
}

/** `2026-10` → that calendar month in UTC; `last` → the month before `now`'s. */
export function monthRange(value: string, now: Date): { from: Date; to: Date } {
  let year: number;
  let month: number;
  if (value === 'last') {
    year = now.getUTCFullYear();
    month = now.getUTCMonth() - 1;
  } else {
    const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(value);
    if (!match) throw new ReportInputError(`--month: expected YYYY-MM or "last", got ${value}`);
    year = Number(match[1]);
    month = Number(match[2]) - 1;
  }
  return { from: new Date(Date.UTC(year, month, 1)), to: new Date(Date.UTC(year, month + 1, 1)) };
}

function rangeOf(options: ReportCommandOptions, now: Date): { from?: Date; to?: Date } {
  if (options.month) {
    if (options.from || options.to) throw new ReportInputError('--month cannot be combined with --from or --to');
    return monthRange(options.month, now);
  }
  return {
    from: options.from ? parseTime(options.from, '--from') : undefined,
    to: options.to ? parseTime(options.to, '--to') : undefined,
  };
}

async function buildReport(options: ReportCommandOptions, now: Date): Promise<SlaReport> {
  const { from, to } = rangeOf(options, now);
  if (options.graphqlApiId || options.restApiName) {
    if (!options.stage) throw new ReportInputError('a CloudWatch report needs --stage (dev, test, prod)');
    const [{ CloudWatchClient }, { cloudWatchReport }] = await Promise.all([
      import('@aws-sdk/client-cloudwatch'),
      import('../sla/cloudwatch-source'),
    ]);
    const client = new CloudWatchClient(options.region ? { region: options.region } : {});
    try {
      const end = to ?? now;
      return await cloudWatchReport({
        client,
        stage: options.stage,
        region: await client.config.region(),
        graphqlApiId: options.graphqlApiId,
        restApiName: options.restApiName,
        from: from ?? new Date(end.getTime() - 30 * 86_400_000),
        to: end,
        now,
      });
    } finally {
      client.destroy();
    }
  }
  return accessLogReport({
    dir: path.resolve(options.logs ?? path.join(options.dataDir, 'logs')),
    stage: options.stage,
    from,
    to,
    now,
  });
}

export async function reportCommand(options: ReportCommandOptions): Promise<number> {
  const now = options.now ?? new Date();
  let report: SlaReport;
  try {
    report = await buildReport(options, now);
  } catch (error) {
    if (error instanceof ReportInputError || error instanceof RangeError) {
      console.error(`scoredrive report: ${error.message}`);
      return CHECK_EXIT.input;
    }
    const e = error as Error;
    console.error(`scoredrive report: could not read the metrics: ${e.name}: ${e.message}`);
    return CHECK_EXIT.sourceFailed;
  }
  const { renderReportHtml } = await import('../sla/report-html');
  await mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
  await writeFile(options.out, renderReportHtml(report));
  if (options.json) await writeFile(options.json, `${JSON.stringify(report, null, 2)}\n`);
  console.log(reportText(report));
  console.log(`report: ${path.resolve(options.out)}${options.json ? ` · data: ${path.resolve(options.json)}` : ''}`);
  if (!options.check) return 0;
  if (report.verdict.met === null) return CHECK_EXIT.noData;
  return report.verdict.met ? CHECK_EXIT.met : CHECK_EXIT.broken;
}
