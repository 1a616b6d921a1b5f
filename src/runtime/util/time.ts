/**
 * `util.time`: AppSync formats and parses with Java's DateTimeFormatter patterns, so this
 * uses js-joda, a port of java.time, rather than re-implementing the pattern language.
 * https://docs.aws.amazon.com/appsync/latest/devguide/time-helpers-in-util-time-js.html
 */
import {
  DateTimeFormatter,
  Instant,
  LocalDateTime,
  ResolverStyle,
  ZonedDateTime,
  ZoneId,
  ZoneOffset,
} from '@js-joda/core';
import '@js-joda/timezone';

function zone(timezone: string | undefined): ZoneId {
  return timezone === undefined ? ZoneOffset.UTC : ZoneId.of(timezone);
}

function formatter(pattern: string): DateTimeFormatter {
  return DateTimeFormatter.ofPattern(pattern).withResolverStyle(ResolverStyle.SMART);
}

function format(epochMillis: number, pattern: string, timezone?: string): string {
  return ZonedDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone(timezone)).format(formatter(pattern));
}

/** Builds the `util.time` object; `now` is injectable so tests can pin the clock. */
export function createTimeUtil(now: () => number = Date.now) {
  return {
    nowISO8601: (): string => new Date(now()).toISOString(),
    nowEpochSeconds: (): number => Math.floor(now() / 1000),
    nowEpochMilliSeconds: (): number => now(),
    nowFormatted: (pattern: string, timezone?: string): string => format(now(), pattern, timezone),
    parseFormattedToEpochMilliSeconds: (timestamp: string, pattern: string, timezone?: string): number => {
      const parser = formatter(pattern);
      if (timezone === undefined) {
        return ZonedDateTime.parse(timestamp, parser).toInstant().toEpochMilli();
      }
      return LocalDateTime.parse(timestamp, parser).atZone(zone(timezone)).toInstant().toEpochMilli();
    },
    parseISO8601ToEpochMilliSeconds: (timestamp: string): number =>
      ZonedDateTime.parse(timestamp).toInstant().toEpochMilli(),
    epochMilliSecondsToSeconds: (millis: number): number => Math.floor(millis / 1000),
    epochMilliSecondsToISO8601: (millis: number): string => new Date(millis).toISOString(),
    epochMilliSecondsToFormatted: (millis: number, pattern: string, timezone?: string): string =>
      format(millis, pattern, timezone),
  };
}
