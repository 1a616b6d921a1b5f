/**
 * How graphql-java 9 prints things into its validation messages, which AppSync's answers carry
 * word for word: GraphQL literals as the Java `toString()` of its AST nodes
 * (`StringValue{value='x'}`, `ObjectValue{objectFields=[ObjectField{name='a', value=IntValue{value=1}}]}`,
 * as in aws-mobile-appsync-sdk-js#554 and aws-appsync-community#273), numbers as Java's
 * `BigInteger`/`BigDecimal` print them, and a set of names in `java.util.HashSet` order.
 */
import { Kind, type ValueNode } from 'graphql';

/** `BigInteger.toString()` of a GraphQL Int literal: the digits, `-0` as `0`. */
function javaBigInteger(literal: string): string {
  const negative = literal.startsWith('-');
  const digits = (negative ? literal.slice(1) : literal).replace(/^0+(?=\d)/, '');
  return negative && digits !== '0' ? `-${digits}` : digits;
}

/**
 * `new BigDecimal(literal).toString()` for a GraphQL Float literal: plain notation unless the
 * scale is negative or the adjusted exponent is below -6 (`1e3` → `1E+3`, `1.50` → `1.50`).
 */
export function javaBigDecimal(literal: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!match) return literal;
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  const coefficient = `${whole}${fraction}`.replace(/^0+(?=\d)/, '');
  const scale = fraction.length - Number(exponent);
  const adjusted = -scale + (coefficient.length - 1);
  const prefix = sign === '-' && /[1-9]/.test(coefficient) ? '-' : '';
  if (scale >= 0 && adjusted >= -6) {
    if (scale === 0) return prefix + coefficient;
    if (coefficient.length > scale) {
      return `${prefix}${coefficient.slice(0, coefficient.length - scale)}.${coefficient.slice(-scale)}`;
    }
    return `${prefix}0.${'0'.repeat(scale - coefficient.length)}${coefficient}`;
  }
  const mantissa = coefficient.length > 1 ? `${coefficient[0]}.${coefficient.slice(1)}` : coefficient;
  return `${prefix}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

/** The `toString()` of graphql-java 9's AST node for a GraphQL literal. */
export function javaLiteral(value: ValueNode): string {
  switch (value.kind) {
    case Kind.STRING:
      return `StringValue{value='${value.value}'}`;
    case Kind.INT:
      return `IntValue{value=${javaBigInteger(value.value)}}`;
    case Kind.FLOAT:
      return `FloatValue{value=${javaBigDecimal(value.value)}}`;
    case Kind.BOOLEAN:
      return `BooleanValue{value=${value.value}}`;
    case Kind.ENUM:
      return `EnumValue{name='${value.value}'}`;
    case Kind.NULL:
      return 'NullValue{}';
    case Kind.VARIABLE:
      return `VariableReference{name='${value.name.value}'}`;
    case Kind.LIST:
      return `ArrayValue{values=[${value.values.map(javaLiteral).join(', ')}]}`;
    case Kind.OBJECT:
      return `ObjectValue{objectFields=[${value.fields
        .map((field) => `ObjectField{name='${field.name.value}', value=${javaLiteral(field.value)}}`)
        .join(', ')}]}`;
  }
}

/** Java's `String.hashCode()`. */
function javaHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * `new HashSet<>(names).toString()`: the names in a default `HashMap`'s iteration order (table of
 * 16 buckets doubled past a load of 0.75, bucket `(h ^ h >>> 16) & (n - 1)`, insertion order
 * within a bucket), as graphql-java prints the missing fields of an input object.
 */
export function javaHashSetToString(names: readonly string[]): string {
  const unique = [...new Set(names)];
  let buckets = 16;
  while (unique.length > buckets * 0.75) buckets *= 2;
  const bucketOf = (name: string) => {
    const hash = javaHashCode(name);
    return (hash ^ (hash >>> 16)) & (buckets - 1);
  };
  const ordered = unique.map((name, index) => ({ name, index, bucket: bucketOf(name) }));
  ordered.sort((a, b) => a.bucket - b.bucket || a.index - b.index);
  return `[${ordered.map((entry) => entry.name).join(', ')}]`;
}
