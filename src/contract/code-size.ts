/**
 * AppSync's limit on resolver and function code: CreateResolver/CreateFunction `code`,
 * "Length Constraints: Minimum length of 1. Maximum length of 32768."
 * (https://docs.aws.amazon.com/appsync/latest/APIReference/API_Resolver.html; the service model,
 * botocore appsync 2017-07-25, says the same of EvaluateCode's `code`). AWS's length constraints
 * count characters (Unicode code points), so `'é'` counts once, as does `'😀'`. The developer
 * guide once gave "32,000 characters per AWS AppSync function" (quoted in
 * aws/aws-appsync-community#301); the API's 32,768 is the limit enforced, and the larger one,
 * so nothing AppSync accepts is refused.
 */

/** The most characters of code AppSync accepts. */
export const MAX_RESOLVER_CODE_CHARACTERS = 32_768;

/** The size AppSync measures `code` by: its characters (code points, a surrogate pair being one). */
export function resolverCodeCharacters(code: string): number {
  let count = 0;
  for (let i = 0; i < code.length; i += 1) {
    const unit = code.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < code.length) {
      const next = code.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
    }
    count += 1;
  }
  return count;
}
