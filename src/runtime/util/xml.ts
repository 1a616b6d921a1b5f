/**
 * `util.xml`: an XML string to a map (`toMap`) or to JSON text (`toJsonString`).
 * https://docs.aws.amazon.com/appsync/latest/devguide/xml-helpers-in-util-xml-js.html
 *
 * AWS prints two examples and nothing else: the root element becomes the top key, the XML
 * declaration and whitespace-only text disappear, `<id>1</id>` becomes `"id":1`, repeated
 * siblings become a list and a single one stays a map. AppSync's implementation is not public;
 * those outputs are exactly what org.json's `XML.toJSONObject` gives (a Java JSON/XML library,
 * and the VTL page says toMap returns a map), so where AWS is silent this module answers as
 * org.json does, except where that would lose data, expand entities or accept broken XML:
 *
 * - Attributes are keys of their element's map, beside its child elements, without a prefix
 *   (`<post id="7">` → `{"post":{"id":7}}`); an attribute and a child element of one name
 *   become a list, attributes first. Attribute values are coerced like text, never trimmed.
 * - Text of an element that also has attributes or children sits under `content`.
 * - Mixed content: each non-blank text run and each CDATA section is one `content` value, so
 *   several of them make a list (`<p>a<b/>c</p>` → `{"p":{"content":["a","c"],"b":""}}`).
 * - Text runs are trimmed (characters up to U+0020, as Java's `String.trim`) after entities are
 *   decoded; CDATA is kept verbatim and always stays a string; an empty CDATA adds nothing.
 * - Empty elements (`<a/>`, `<a></a>`, `<a> </a>`) are `""`; with attributes, a map of them.
 * - Namespaces are not resolved: prefixes stay in the names (`soap:Envelope`) and `xmlns`
 *   declarations are ordinary attributes.
 * - Entities: the five XML ones and character references (`&#65;`, `&#x42;`) are decoded. An
 *   undeclared entity (`&nbsp;`) or a bare `&` is malformed XML and fails, where org.json would
 *   keep the text. A DOCTYPE declaring any entity (internal, external or parameter) fails, so
 *   nothing is ever expanded and billion-laughs input cannot grow; a DOCTYPE declaring none is
 *   ignored, as org.json ignores DTDs, and an external DTD is never fetched.
 * - Scalars: `true`/`false`/`null` (any case) become booleans and null, as org.json does. A
 *   JSON-style number becomes a number only when the JavaScript number holds every digit:
 *   `1` → 1, `2.50` → 2.5, `1e5` → 100000. Integers beyond 2^53 - 1 (a 20-digit id), decimals
 *   with more digits than a double keeps and out-of-range exponents stay strings (org.json
 *   would make a Long or BigDecimal, which JavaScript cannot hold); so do leading zeros (`007`,
 *   a zip code) and `-0`, as in org.json, and anything else (`+1`, `.5`, `0x1F`, `NaN`).
 * - Comments and processing instructions are dropped; keys keep document order (org.json's
 *   maps have none).
 *
 * Bad input throws a TypeError naming the function and the problem: a non-string, more than
 * 1 MiB, malformed XML (with line and column), more than one root element, nesting deeper than
 * 512 elements (org.json's default maximum nesting depth), or the entity cases above. One
 * leniency of fast-xml-parser's validator remains: text after a self-closing root (`<a/>x`)
 * passes and is dropped.
 */
import { type EntityDecoderOptions, type ValidationError, XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * XML reaches util.xml as the body of an HTTP data source's response (`ctx.result.body`), which
 * AppSync caps at its 1 MB response limit; EvaluateCode's context is far smaller (28,000
 * characters). Larger input cannot come from AppSync, so it is refused rather than parsed.
 */
const MAX_BYTES = 1024 * 1024;

/** org.json's ParserConfiguration.DEFAULT_MAXIMUM_NESTING_DEPTH, which its XML parser applies. */
const MAX_DEPTH = 512;

type XmlValue = string | number | boolean | null | XmlMap | XmlValue[];
interface XmlMap {
  [key: string]: XmlValue;
}

/** A problem with the input; the caller prefixes the util function's name. */
class XmlInputError extends Error {}

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

// Captures &#x..; | &#..; | &name;  — an `&` matching none of them is a bare ampersand.
const REFERENCE = /&(?:#x([0-9A-Fa-f]+);|#([0-9]+);|([^\s&;<>]+);)?/g;

/**
 * fast-xml-parser's own decoder leaves character references alone unless HTML entities are on,
 * and silently keeps entities a DOCTYPE declares; this one (its documented `entityDecoder`
 * hook) decodes what XML defines and refuses the rest.
 */
function createEntityDecoder(): EntityDecoderOptions {
  let xmlVersion = 1;
  return {
    reset() {
      xmlVersion = 1;
    },
    setXmlVersion(version: number) {
      xmlVersion = version;
    },
    setExternalEntities() {},
    addInputEntities(entities: Record<string, string>) {
      const names = Object.keys(entities);
      if (names.length > 0) {
        throw new XmlInputError(
          `DOCTYPE entity declarations are not supported, entities are never expanded (declared: ${names.join(', ')})`,
        );
      }
    },
    decode(text: string) {
      if (!text.includes('&')) return text;
      return text.replace(REFERENCE, (reference, hex?: string, decimal?: string, name?: string) => {
        if (name !== undefined) {
          if (Object.hasOwn(PREDEFINED_ENTITIES, name)) return PREDEFINED_ENTITIES[name] as string;
          throw new XmlInputError(`malformed XML: undefined entity ${reference}`);
        }
        const digits = hex ?? decimal;
        if (digits === undefined) {
          throw new XmlInputError("malformed XML: '&' that does not start an entity reference (write &amp;)");
        }
        const codePoint = Number.parseInt(digits, hex === undefined ? 10 : 16);
        if (!isXmlChar(codePoint, xmlVersion)) {
          throw new XmlInputError(`malformed XML: character reference ${reference} is not a legal XML character`);
        }
        return String.fromCodePoint(codePoint);
      });
    },
  };
}

/** XML 1.0's Char production; XML 1.1 also allows references to the C0 controls. */
function isXmlChar(codePoint: number, xmlVersion: number): boolean {
  if (codePoint === 0x9 || codePoint === 0xa || codePoint === 0xd) return true;
  if (codePoint >= 0x1 && codePoint < 0x20) return xmlVersion >= 1.1;
  return (
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

/**
 * fast-xml-parser refuses these names outright (they could pollute prototypes when assigned);
 * they are legal XML names, so they pass through under a `#` prefix no XML name can carry and
 * are restored as own properties.
 */
const GUARDED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
const guardName = (name: string) => (GUARDED_NAMES.has(name) ? `#${name}` : name);
const restoreName = (name: string) => (name.startsWith('#') && GUARDED_NAMES.has(name.slice(1)) ? name.slice(1) : name);

const TEXT = '#text';
const CDATA = '#cdata';
const ATTRIBUTES = ':@';

const parser = new XMLParser({
  // Document order with text runs, CDATA and elements as separate nodes: the shape is built
  // below, so that mixed content, attributes and repeated names accumulate as org.json does.
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: TEXT,
  cdataPropName: CDATA,
  commentPropName: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: false,
  // Values are coerced below, with rules that never lose digits; strings arrive untouched.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  allowBooleanAttributes: false,
  processEntities: true,
  entityDecoder: createEntityDecoder(),
  // fast-xml-parser counts the document node too: 511 allows elements 512 deep.
  maxNestedTags: MAX_DEPTH - 1,
  transformTagName: guardName,
  transformAttributeName: guardName,
  // toString, valueOf, hasOwnProperty…: kept as they are, the map below is built with defineProperty.
  onDangerousProperty: (name) => name,
});

function parse(xml: unknown, fn: string): XmlMap {
  try {
    return toXmlMap(xml);
  } catch (error) {
    if (error instanceof XmlInputError) throw new TypeError(`${fn}: ${clip(error.message)}`);
    throw error;
  }
}

function toXmlMap(xml: unknown): XmlMap {
  if (typeof xml !== 'string') {
    throw new XmlInputError(`expected an XML string, got ${describe(xml)}`);
  }
  // A UTF-8 encoding is never shorter than the string's UTF-16 length: the cheap test first.
  if (xml.length > MAX_BYTES || Buffer.byteLength(xml, 'utf8') > MAX_BYTES) {
    throw new XmlInputError(`XML larger than 1 MiB (${MAX_BYTES} bytes of UTF-8) is not accepted`);
  }
  // The parser alone is lenient (it closes unclosed tags); the validator is the syntax check.
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new XmlInputError(syntaxProblem(valid));
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(xml) as OrderedNode[];
  } catch (error) {
    if (error instanceof XmlInputError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (message === 'Maximum nested tags exceeded') {
      throw new XmlInputError(`XML nests deeper than ${MAX_DEPTH} elements`);
    }
    if (/entit|doctype/i.test(message)) {
      throw new XmlInputError(`DOCTYPE not accepted, entities are never expanded: ${message}`);
    }
    throw new XmlInputError(`cannot parse XML: ${message}`);
  }
  const roots = nodes.filter((node) => elementName(node) !== undefined);
  if (roots.length !== 1) {
    const names = roots.map((node) => `<${restoreName(elementName(node) as string)}>`).join(', ');
    throw new XmlInputError(`malformed XML: a document has one root element, this one has ${names || 'none'}`);
  }
  return build(roots, {});
}

function syntaxProblem({ err }: ValidationError): string {
  // For several unclosed tags fast-xml-parser lists them all as JSON, placed at line 1, column 1.
  if (err.code === 'InvalidXml' && err.msg.startsWith("Invalid '[")) {
    const names = [...err.msg.slice(0, 300).matchAll(/"([^"]*)"/g)].map((match) => `<${match[1]}>`);
    return `malformed XML: unclosed tags ${names.join(', ')}`;
  }
  const where = err.col === undefined ? `line ${err.line}` : `line ${err.line}, column ${err.col}`;
  return `malformed XML at ${where}: ${err.msg}`;
}

/** Messages quote the input (tag names, entity references); a megabyte of it helps nobody. */
function clip(message: string): string {
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}

/** One node of fast-xml-parser's preserveOrder output: `{ name: children, ':@': attributes }`. */
type OrderedNode = Record<string, unknown>;

function elementName(node: OrderedNode): string | undefined {
  for (const key of Object.keys(node)) {
    if (key !== ATTRIBUTES && key !== TEXT && key !== CDATA) return key;
  }
  return undefined;
}

/** Collects attributes and children into a map; a name seen more than once becomes a list. */
function build(children: OrderedNode[], attributes: Record<string, unknown>): XmlMap {
  const entries = new Map<string, XmlValue[]>();
  const add = (key: string, value: XmlValue) => {
    const values = entries.get(key);
    if (values) values.push(value);
    else entries.set(key, [value]);
  };
  for (const [name, value] of Object.entries(attributes)) {
    add(restoreName(name), scalar(String(value)));
  }
  for (const child of children) {
    if (Object.hasOwn(child, TEXT)) {
      const text = trim(String(child[TEXT]));
      if (text !== '') add('content', scalar(text));
    } else if (Object.hasOwn(child, CDATA)) {
      const text = ((child[CDATA] as OrderedNode[])[0]?.[TEXT] ?? '') as string;
      if (text !== '') add('content', text);
    } else {
      const name = elementName(child);
      if (name === undefined) continue;
      add(restoreName(name), element(child[name] as OrderedNode[], child[ATTRIBUTES] as Record<string, unknown>));
    }
  }
  const map: XmlMap = {};
  for (const [key, values] of entries) {
    // defineProperty, so that a key named __proto__ is data rather than a prototype.
    Object.defineProperty(map, key, {
      value: values.length === 1 ? values[0] : values,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return map;
}

function element(children: OrderedNode[], attributes: Record<string, unknown> | undefined): XmlValue {
  const map = build(children, attributes ?? {});
  const keys = Object.keys(map);
  if (keys.length === 0) return '';
  if (keys.length === 1 && keys[0] === 'content' && attributes === undefined) return map.content as XmlValue;
  return map;
}

/** Java's String.trim: strips characters up to U+0020 from both ends. */
function trim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const INTEGER = /^-?\d+$/;

/** Text to boolean, null or number when nothing is lost; otherwise the text itself. */
function scalar(text: string): XmlValue {
  if (text.length <= 5) {
    const lower = text.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
  }
  if (!JSON_NUMBER.test(text)) return text;
  const number = Number(text);
  if (!Number.isFinite(number)) return text;
  if (INTEGER.test(text)) return Number.isSafeInteger(number) && String(number) === text ? number : text;
  return decimalDigits(text) === decimalDigits(String(number)) ? number : text;
}

/**
 * A decimal's exact value as sign, significant digits and exponent (`2.50` and `25e-1` are
 * both `25e-1`), to tell whether a double's shortest form still says what the text said.
 */
function decimalDigits(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return text;
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  const digits = whole + fraction;
  let first = 0;
  while (first < digits.length && digits[first] === '0') first++;
  let last = digits.length;
  while (last > first && digits[last - 1] === '0') last--;
  if (first === last) return `${sign}0`;
  return `${sign}${digits.slice(first, last)}e${Number(exponent) - fraction.length + (digits.length - last)}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** The `util.xml` object handed to resolvers. */
export const xmlUtil = {
  /** "Converts a XML string to a dictionary." */
  toMap(xml: string): object {
    return parse(xml, 'util.xml.toMap');
  },
  /**
   * The same conversion as JSON text. With `stringEncode` true the JSON is encoded once more as
   * a JSON string literal (`"{\"a\":1}"`), ready to sit inside another JSON document.
   */
  toJsonString(xml: string, stringEncode?: boolean): string {
    if (stringEncode !== undefined && stringEncode !== null && typeof stringEncode !== 'boolean') {
      throw new TypeError(`util.xml.toJsonString: stringEncode must be a boolean, got ${describe(stringEncode)}`);
    }
    const json = JSON.stringify(parse(xml, 'util.xml.toJsonString'));
    return stringEncode ? JSON.stringify(json) : json;
  },
};
