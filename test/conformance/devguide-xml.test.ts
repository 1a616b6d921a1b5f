/**
 * `util.xml.toMap` against the two examples AWS prints on its util.xml page, input and output
 * verbatim (the page shows the output as an object; it prints no example of toJsonString).
 */
import { describe, expect, it } from 'vitest';
import { xmlUtil } from '../../src/runtime/util/xml';
import { cite, devguide } from './sources';

const PAGE = 'xml-helpers-in-util-xml-js';

const EXAMPLE_1_INPUT = `<?xml version="1.0" encoding="UTF-8"?>
<posts>
<post>
    <id>1</id>
    <title>Getting started with GraphQL</title>
</post>
</posts>`;

const EXAMPLE_1_OUTPUT = {
  posts: {
    post: {
      id: 1,
      title: 'Getting started with GraphQL',
    },
  },
};

const EXAMPLE_2_INPUT = `<?xml version="1.0" encoding="UTF-8"?>
<posts>
<post>
  <id>1</id>
  <title>Getting started with GraphQL</title>
</post>
<post>
  <id>2</id>
  <title>Getting started with AppSync</title>
</post>
</posts>`;

const EXAMPLE_2_OUTPUT = {
  posts: {
    post: [
      {
        id: 1,
        title: 'Getting started with GraphQL',
      },
      {
        id: 2,
        title: 'Getting started with AppSync',
      },
    ],
  },
};

describe('util.xml.toMap, the examples of the AppSync developer guide', () => {
  it(`turns a single <post> into a map and <id>1</id> into the number 1 (${cite(devguide(PAGE, 'Example 1'))})`, () => {
    expect(xmlUtil.toMap(EXAMPLE_1_INPUT)).toStrictEqual(EXAMPLE_1_OUTPUT);
  });

  it(`turns repeated <post> siblings into a list (${cite(devguide(PAGE, 'Example 2'))})`, () => {
    expect(xmlUtil.toMap(EXAMPLE_2_INPUT)).toStrictEqual(EXAMPLE_2_OUTPUT);
  });
});
