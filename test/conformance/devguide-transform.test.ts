/**
 * The input → output examples AWS printed for util.transform.toElasticsearchQueryDSL and
 * util.transform.toSubscriptionFilter. The APPSYNC_JS page and its VTL twin print the same
 * examples, word for word; both are cited. The helpers are called directly.
 */
import { describe, expect, it } from 'vitest';
import { toElasticsearchQueryDSL } from '../../src/runtime/util/opensearch-query';
import { toSubscriptionFilter } from '../../src/runtime/util/subscription-filter';
import { cite, devguide } from './sources';

const JS_PAGE = 'transformation-helpers-in-utils-transform-js';
const VTL_PAGE = 'transformation-helpers-in-utils-transform';

function sources(jsSection: string, vtlSection: string): string {
  return `${cite(devguide(JS_PAGE, jsSection))}, ${cite(devguide(VTL_PAGE, vtlSection))}`;
}

describe('util.transform.toElasticsearchQueryDSL', () => {
  const source = sources(
    'util.transform.toElasticsearchQueryDSL — Example input / Example output',
    'Transformation helpers — $util.transform.toElasticsearchQueryDSL',
  );

  it(`turns the example input into the example output, as a JSON string (${source})`, () => {
    const dsl = toElasticsearchQueryDSL({
      upvotes: { ne: 15, range: [10, 20] },
      title: { eq: 'hihihi', wildcard: 'h*i' },
    });

    // "returning it as a JSON string"; the page prints the string pretty, so it is compared parsed.
    expect(typeof dsl).toBe('string');
    expect(JSON.parse(dsl)).toEqual({
      bool: {
        must: [
          {
            bool: {
              must: [{ bool: { must_not: { term: { upvotes: 15 } } } }, { range: { upvotes: { gte: 10, lte: 20 } } }],
            },
          },
          {
            bool: {
              must: [{ term: { title: 'hihihi' } }, { wildcard: { title: 'h*i' } }],
            },
          },
        ],
      },
    });
  });
});

describe('util.transform.toSubscriptionFilter', () => {
  /** The "Argument 1: Map" of the three examples; only downvotes' condition differs between them. */
  const argument1 = (downvotes: Record<string, number>) => ({
    percentageUp: { lte: 50, gte: 20 },
    and: [{ title: { ne: 'Book1' } }, { downvotes }],
    or: [{ author: { eq: 'Admin' } }, { isPublished: { eq: false } }],
  });
  const rule = (fieldName: string, operator: string, value: unknown) => ({ fieldName, operator, value });

  it(`multiplies the or of a field's conditions and of "or" out into four groups (${sources(
    'Subscription filter arguments — Argument 1: Map',
    'Subscription filter arguments — Argument 1: Map',
  )})`, () => {
    const filter = toSubscriptionFilter(argument1({ gt: 2000 }));

    const title = rule('title', 'ne', 'Book1');
    const downvotes = rule('downvotes', 'gt', 2000);
    expect(filter).toEqual({
      filterGroup: [
        { filters: [rule('percentageUp', 'lte', 50), title, downvotes, rule('author', 'eq', 'Admin')] },
        { filters: [rule('percentageUp', 'lte', 50), title, downvotes, rule('isPublished', 'eq', false)] },
        { filters: [rule('percentageUp', 'gte', 20), title, downvotes, rule('author', 'eq', 'Admin')] },
        { filters: [rule('percentageUp', 'gte', 20), title, downvotes, rule('isPublished', 'eq', false)] },
      ],
    });
  });

  it(`leaves the ignored fields out, inside "or" too (${sources(
    'Subscription filter arguments — Argument 2: List',
    'Subscription filter arguments — Argument 2: List',
  )})`, () => {
    const filter = toSubscriptionFilter(argument1({ gt: 20 }), ['percentageUp', 'author']);

    expect(filter).toEqual({
      filterGroup: [
        { filters: [rule('title', 'ne', 'Book1'), rule('downvotes', 'gt', 20), rule('isPublished', 'eq', false)] },
      ],
    });
  });

  it(`adds each strict rule to a copy of every group, ignored fields notwithstanding (${sources(
    'Subscription filter arguments — Argument 3: Map',
    'Subscription filter arguments — Argument 3: Map',
  )})`, () => {
    const filter = toSubscriptionFilter(argument1({ lt: 20 }), ['percentageUp', 'author'], {
      upvotes: { gte: 250 },
      author: { eq: 'Person1' },
    });

    // The printed output says "operator": "gt" for downvotes, a copy-paste from the Argument 2
    // example: this example's input says { "lt": 20 }, and a transform carries operators through.
    const common = [rule('title', 'ne', 'Book1'), rule('downvotes', 'lt', 20), rule('isPublished', 'eq', false)];
    expect(filter).toEqual({
      filterGroup: [
        { filters: [...common, rule('upvotes', 'gte', 250)] },
        { filters: [...common, rule('author', 'eq', 'Person1')] },
      ],
    });
  });
});
