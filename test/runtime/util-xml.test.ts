/**
 * util.xml beyond AWS's two printed examples (those are in test/conformance/devguide-xml.test.ts):
 * the choices src/runtime/util/xml.ts documents for what AWS leaves unsaid, and bad input.
 */
import { describe, expect, it } from 'vitest';
import { xmlUtil } from '../../src/runtime/util/xml';
import { evaluate } from '../helpers/runtime';

const MIB = 1024 * 1024;

/** The one value inside `<v>…</v>`. */
const textValue = (inner: string) => (xmlUtil.toMap(`<v>${inner}</v>`) as { v: unknown }).v;

const nested = (depth: number) => '<a>'.repeat(depth) + '</a>'.repeat(depth);

/** Runs a call expected to fail and returns what it threw. */
function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw');
}

function expectTypeError(run: () => unknown, message: RegExp): void {
  const error = errorOf(run);
  expect(error).toBeInstanceOf(TypeError);
  expect(error.message).toMatch(message);
}

describe('util.xml.toMap', () => {
  describe('structure', () => {
    it('makes the root element the top key', () => {
      expect(xmlUtil.toMap('<root><a>x</a></root>')).toStrictEqual({ root: { a: 'x' } });
    });

    it('drops the XML declaration, comments and processing instructions', () => {
      const xml = '<?xml version="1.0"?><!-- note --><r><?app hint?><a>x</a><!-- more --></r>';

      expect(xmlUtil.toMap(xml)).toStrictEqual({ r: { a: 'x' } });
    });

    it('ignores whitespace-only text between elements', () => {
      expect(xmlUtil.toMap('<r>\n  <a>1</a>\n  <b>2</b>\n</r>')).toStrictEqual({ r: { a: 1, b: 2 } });
    });

    it('keeps document order of keys', () => {
      expect(Object.keys((xmlUtil.toMap('<r><z/><a/><m/></r>') as { r: object }).r)).toEqual(['z', 'a', 'm']);
    });

    it('turns repeated siblings into a list, wherever they appear among the others', () => {
      expect(xmlUtil.toMap('<r><a>1</a><b>x</b><a>2</a></r>')).toStrictEqual({ r: { a: [1, 2], b: 'x' } });
    });
  });

  describe('attributes', () => {
    it('become keys of the element map, without a prefix, coerced like text', () => {
      expect(xmlUtil.toMap('<post id="7" draft="false" slug="intro"/>')).toStrictEqual({
        post: { id: 7, draft: false, slug: 'intro' },
      });
    });

    it('sit beside child elements, and the text moves under content', () => {
      expect(xmlUtil.toMap('<price currency="USD">9.99</price>')).toStrictEqual({
        price: { currency: 'USD', content: 9.99 },
      });
    });

    it('make a list with a child element of the same name, attribute first', () => {
      expect(xmlUtil.toMap('<a id="1"><id>2</id></a>')).toStrictEqual({ a: { id: [1, 2] } });
    });

    it('keep their whitespace, as they are not text content', () => {
      expect(xmlUtil.toMap('<a x=" 1 "/>')).toStrictEqual({ a: { x: ' 1 ' } });
    });
  });

  describe('text', () => {
    it('is trimmed at both ends, with inner whitespace kept and CRLF read as LF', () => {
      expect(textValue('\r\n  two\r\nlines  ')).toBe('two\nlines');
    });

    it('trims only characters up to U+0020, as Java does, so a no-break space stays', () => {
      expect(textValue('\u00a0x')).toBe('\u00a0x');
    });

    it('of mixed content is one content value per text run', () => {
      expect(xmlUtil.toMap('<p>Hello <b>big</b> world</p>')).toStrictEqual({
        p: { content: ['Hello', 'world'], b: 'big' },
      });
    });
  });

  describe('CDATA', () => {
    it('is kept verbatim: not trimmed, not decoded, never a number', () => {
      expect(textValue('<![CDATA[ 42 &amp; <b> ]]>')).toBe(' 42 &amp; <b> ');
      expect(textValue('<![CDATA[42]]>')).toBe('42');
    });

    it('is one more content value beside text', () => {
      expect(textValue('Price: <![CDATA[<b>5</b>]]>')).toStrictEqual(['Price:', '<b>5</b>']);
    });

    it('adds nothing when empty', () => {
      expect(textValue('<![CDATA[]]>')).toBe('');
    });
  });

  describe('empty elements', () => {
    it.each(['<a/>', '<a></a>', '<a>  \n </a>'])('%s is the empty string', (xml) => {
      expect(xmlUtil.toMap(xml)).toStrictEqual({ a: '' });
    });

    it('with attributes is a map of them', () => {
      expect(xmlUtil.toMap('<a k="v"/>')).toStrictEqual({ a: { k: 'v' } });
    });
  });

  describe('namespaces', () => {
    it('keep prefixes in names and xmlns declarations as attributes', () => {
      const xml =
        '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><m:Id xmlns:m="urn:x">5</m:Id></soap:Body></soap:Envelope>';

      expect(xmlUtil.toMap(xml)).toStrictEqual({
        'soap:Envelope': {
          'xmlns:soap': 'http://www.w3.org/2003/05/soap-envelope',
          'soap:Body': { 'm:Id': { 'xmlns:m': 'urn:x', content: 5 } },
        },
      });
    });

    it('read an SNS Publish response as a resolver expects (PublishResponse.PublishResult)', () => {
      const xml = `<PublishResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
  <PublishResult><MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId></PublishResult>
  <ResponseMetadata><RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId></ResponseMetadata>
</PublishResponse>`;

      const map = xmlUtil.toMap(xml) as { PublishResponse: { PublishResult: unknown } };

      expect(map.PublishResponse.PublishResult).toStrictEqual({ MessageId: '567910cd-659e-55d4-8ccb-5aaf14679dc0' });
    });
  });

  describe('entities', () => {
    it('decodes the five XML entities and character references, in text and attributes', () => {
      expect(textValue('&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1F600;')).toBe('<>&"\'AB😀');
      expect(xmlUtil.toMap('<a t="&amp;&#67;"/>')).toStrictEqual({ a: { t: '&C' } });
    });

    it('coerces decoded text: &#49; is the number 1', () => {
      expect(textValue('&#49;')).toBe(1);
    });

    it('fails on an undeclared entity, such as an HTML one', () => {
      expectTypeError(() => textValue('&nbsp;'), /^util\.xml\.toMap: malformed XML: undefined entity &nbsp;$/);
    });

    it('fails on a bare ampersand, in text and in an attribute', () => {
      expectTypeError(() => textValue('fish & chips'), /^util\.xml\.toMap: malformed XML at line 1, column 9: /);
      expectTypeError(() => xmlUtil.toMap('<a t="fish & chips"/>'), /'&' that does not start an entity reference/);
    });

    it('accepts references to C0 controls only in an XML 1.1 document', () => {
      expect(xmlUtil.toMap('<?xml version="1.1"?><v>a&#1;b</v>')).toStrictEqual({ v: 'a\u0001b' });
      expectTypeError(() => textValue('a&#1;b'), /character reference &#1; is not a legal XML character/);
    });

    it('fails on a character reference that is not an XML character', () => {
      expectTypeError(() => textValue('&#0;'), /character reference &#0; is not a legal XML character/);
      expectTypeError(() => textValue('&#xD800;'), /character reference &#xD800; is not a legal XML character/);
      expectTypeError(() => textValue('&#x110000;'), /character reference &#x110000; is not a legal XML character/);
    });
  });

  describe('DOCTYPE', () => {
    it('fails on the billion laughs, expanding nothing', () => {
      const lol = [
        '<!ENTITY lol "lol">',
        ...Array.from({ length: 9 }, (_, i) => {
          const previous = i === 0 ? 'lol' : `lol${i}`;
          return `<!ENTITY lol${i + 1} "${`&${previous};`.repeat(10)}">`;
        }),
      ].join('');
      const xml = `<?xml version="1.0"?><!DOCTYPE lolz [${lol}]><lolz>&lol9;</lolz>`;

      expectTypeError(
        () => xmlUtil.toMap(xml),
        /^util\.xml\.toMap: DOCTYPE entity declarations are not supported, entities are never expanded \(declared: lol\)$/,
      );
    });

    it('fails on any internal entity declaration', () => {
      expectTypeError(
        () => xmlUtil.toMap('<!DOCTYPE a [<!ENTITY e "text">]><a>&e;</a>'),
        /DOCTYPE entity declarations are not supported/,
      );
    });

    it('fails on a reference to an entity the parser declined to declare (its value refers to others)', () => {
      expectTypeError(() => xmlUtil.toMap('<!DOCTYPE a [<!ENTITY e "&f;&f;">]><a>&e;</a>'), /undefined entity &e;/);
    });

    it('fails on an external entity, never reading it', () => {
      expectTypeError(
        () => xmlUtil.toMap('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'),
        /^util\.xml\.toMap: DOCTYPE not accepted, entities are never expanded: External entities are not supported$/,
      );
    });

    it('fails on a parameter entity', () => {
      expectTypeError(
        () => xmlUtil.toMap('<!DOCTYPE a [<!ENTITY % p "x">]><a/>'),
        /^util\.xml\.toMap: DOCTYPE not accepted, entities are never expanded: /,
      );
    });

    it('is ignored when it declares no entities (an external DTD is never fetched)', () => {
      expect(xmlUtil.toMap('<!DOCTYPE note SYSTEM "note.dtd"><note>1</note>')).toStrictEqual({ note: 1 });
    });
  });

  describe('scalars', () => {
    it.each([
      ['1', 1],
      ['-12', -12],
      ['0', 0],
      ['2.50', 2.5],
      ['0.1', 0.1],
      ['1e5', 100000],
      ['1E5', 100000],
      ['-1.5e-3', -0.0015],
      ['9007199254740991', 9007199254740991],
    ])('%s becomes the number %s: the number holds every digit', (text, expected) => {
      expect(textValue(text)).toBe(expected);
    });

    it.each([
      ['007', 'a leading zero (an id or zip code, not a count)'],
      ['-01', 'a leading zero after the sign'],
      ['-0', 'a negative zero, which a number would print as 0'],
      ['12345678901234567890', 'a 20-digit id beyond 2^53 - 1'],
      ['9007199254740993', 'an integer beyond 2^53 - 1 that a double rounds'],
      ['3.141592653589793238', 'more decimal digits than a double keeps'],
      ['1.00000000000000001', 'a decimal a double rounds to 1'],
      ['1e400', 'an exponent beyond a double'],
      ['1e-400', 'an exponent below a double'],
      ['+1', 'a plus sign, not JSON'],
      ['.5', 'a missing integer part'],
      ['5.', 'a missing fraction'],
      ['0x1F', 'hexadecimal'],
      ['NaN', 'NaN'],
      ['Infinity', 'Infinity'],
      ['1 000', 'inner whitespace'],
    ])('%s stays a string: %s', (text) => {
      expect(textValue(text)).toBe(text);
    });

    it('reads true, false and null in any case as JSON keywords, as org.json does', () => {
      expect(xmlUtil.toMap('<r><a>true</a><b>FALSE</b><c>Null</c><d>nullable</d></r>')).toStrictEqual({
        r: { a: true, b: false, c: null, d: 'nullable' },
      });
    });
  });

  describe('names JavaScript objects reserve', () => {
    it('keeps __proto__, constructor and prototype as own keys, elements or attributes', () => {
      const map = xmlUtil.toMap(
        '<r __proto__="a"><constructor x="1">2</constructor><prototype/><__proto__>3</__proto__></r>',
      ) as { r: Record<string, unknown> };

      expect(Object.getPrototypeOf(map.r)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(map.r, '__proto__')?.value).toStrictEqual(['a', 3]);
      expect(map.r.constructor).toStrictEqual({ x: 1, content: 2 });
      expect(map.r.prototype).toBe('');
      expect(JSON.stringify(map)).toBe('{"r":{"__proto__":["a",3],"constructor":{"x":1,"content":2},"prototype":""}}');
    });

    it('keeps toString, valueOf and hasOwnProperty unrenamed', () => {
      expect(xmlUtil.toMap('<r toString="a"><valueOf>1</valueOf><hasOwnProperty>2</hasOwnProperty></r>')).toStrictEqual(
        {
          r: { toString: 'a', valueOf: 1, hasOwnProperty: 2 },
        },
      );
    });
  });

  describe('bad input', () => {
    it.each([
      [42, 'number'],
      [null, 'null'],
      [undefined, 'undefined'],
      [{ xml: '<a/>' }, 'an object'],
      [['<a/>'], 'an array'],
    ])('fails on %j, which is not a string', (input, kind) => {
      expectTypeError(
        () => xmlUtil.toMap(input as unknown as string),
        new RegExp(`^util\\.xml\\.toMap: expected an XML string, got ${kind}$`),
      );
    });

    it.each([
      ['', /malformed XML at line 1: Start tag expected\./],
      ['just text', /malformed XML at line 1, column 1: char 'j' is not expected\./],
      ['<a>', /malformed XML at line 1, column 1: Unclosed tag 'a'\./],
      ['<a><b></a>', /malformed XML at line 1, column 7: Expected closing tag 'b'/],
      ['<a></b>', /malformed XML at line 1, column 4: Expected closing tag 'a'/],
      ['<a>1</a>tail', /malformed XML at line 1, column 9: Extra text at the end/],
      ['<a x=1/>', /malformed XML at line 1, column 4: /],
      ['<a x="1" x="2"/>', /Attribute 'x' is repeated/],
    ])('fails on malformed XML %j', (xml, message) => {
      expectTypeError(() => xmlUtil.toMap(xml), message);
      expect(errorOf(() => xmlUtil.toMap(xml)).message).toMatch(/^util\.xml\.toMap: malformed XML/);
    });

    it('names a few unclosed tags when many are left open, in a short message', () => {
      const error = errorOf(() => xmlUtil.toMap('<a><b><c>'.repeat(50_000)));

      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toMatch(/^util\.xml\.toMap: malformed XML: unclosed tags <a>, <b>, <c>, <a>/);
      expect(error.message.length).toBeLessThan(400);
    });

    it('fails on more than one root element', () => {
      expectTypeError(
        () => xmlUtil.toMap('<a/><b/>'),
        /^util\.xml\.toMap: malformed XML: a document has one root element, this one has <a>, <b>$/,
      );
    });

    it('accepts elements nested 512 deep, org.json’s default limit', () => {
      expect(() => xmlUtil.toMap(nested(512))).not.toThrow();
    });

    it('fails on nesting deeper than 512 elements, however deep', () => {
      expectTypeError(() => xmlUtil.toMap(nested(513)), /^util\.xml\.toMap: XML nests deeper than 512 elements$/);
      expectTypeError(() => xmlUtil.toMap(nested(100_000)), /XML nests deeper than 512 elements/);
    });

    it('accepts exactly 1 MiB', () => {
      const xml = `<r>${'x'.repeat(MIB - '<r></r>'.length)}</r>`;

      expect((xmlUtil.toMap(xml) as { r: string }).r).toHaveLength(MIB - 7);
    });

    it('fails on more than 1 MiB, counted in UTF-8 bytes', () => {
      const tooLong = `<r>${'x'.repeat(MIB)}</r>`;
      const tooManyBytes = `<r>${'é'.repeat(MIB / 2)}</r>`; // fewer than 1 Mi characters, more than 1 MiB

      expectTypeError(
        () => xmlUtil.toMap(tooLong),
        /^util\.xml\.toMap: XML larger than 1 MiB \(1048576 bytes of UTF-8\)/,
      );
      expectTypeError(() => xmlUtil.toMap(tooManyBytes), /XML larger than 1 MiB/);
    });

    it('fails on a long unterminated entity reference in an attribute', () => {
      expectTypeError(
        () => xmlUtil.toMap(`<a t="&${'a'.repeat(500_000)}"/>`),
        /'&' that does not start an entity reference/,
      );
    });

    it('clips messages that quote the input', () => {
      const error = errorOf(() => xmlUtil.toMap(`<a t="&${'x'.repeat(10_000)};"/>`));

      expect(error.message).toMatch(/^util\.xml\.toMap: malformed XML: undefined entity &xxx/);
      expect(error.message.length).toBeLessThan(400);
    });
  });
});

describe('util.xml.toJsonString', () => {
  const XML = '<posts><post><id>1</id><title>A "quoted" title</title></post></posts>';
  const JSON_TEXT = '{"posts":{"post":{"id":1,"title":"A \\"quoted\\" title"}}}';

  it('returns the map of toMap as compact JSON', () => {
    expect(xmlUtil.toJsonString(XML)).toBe(JSON_TEXT);
    expect(JSON.parse(xmlUtil.toJsonString(XML))).toStrictEqual(xmlUtil.toMap(XML));
  });

  it('returns the same JSON when stringEncode is false', () => {
    expect(xmlUtil.toJsonString(XML, false)).toBe(JSON_TEXT);
  });

  it('encodes the JSON once more as a JSON string literal when stringEncode is true', () => {
    const encoded = xmlUtil.toJsonString(XML, true);

    expect(encoded).toBe(JSON.stringify(JSON_TEXT));
    expect(encoded.startsWith('"{\\"posts\\":')).toBe(true);
    expect(JSON.parse(JSON.parse(encoded))).toStrictEqual(xmlUtil.toMap(XML));
  });

  it('keeps long numbers as JSON strings', () => {
    expect(xmlUtil.toJsonString('<a><id>12345678901234567890</id></a>')).toBe('{"a":{"id":"12345678901234567890"}}');
  });

  it('fails on a stringEncode that is not a boolean', () => {
    expectTypeError(
      () => xmlUtil.toJsonString(XML, 'yes' as unknown as boolean),
      /^util\.xml\.toJsonString: stringEncode must be a boolean, got string$/,
    );
  });

  it('fails on bad input naming itself', () => {
    expectTypeError(
      () => xmlUtil.toJsonString(7 as unknown as string),
      /^util\.xml\.toJsonString: expected an XML string, got number$/,
    );
    expectTypeError(
      () => xmlUtil.toJsonString('<a>'),
      /^util\.xml\.toJsonString: malformed XML at line 1, column 1: Unclosed tag 'a'\.$/,
    );
  });
});

describe('util.xml inside a resolver', () => {
  it('is reachable as util.xml and answers realm-safe objects', async () => {
    expect(await evaluate("util.xml.toMap('<posts><post><id>1</id></post></posts>')")).toEqual({
      posts: { post: { id: 1 } },
    });
    expect(await evaluate("util.xml.toJsonString('<a>x</a>')")).toBe('{"a":"x"}');
  });
});
