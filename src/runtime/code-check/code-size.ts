/**
 * AppSync's limit on resolver and function code: CreateResolver/CreateFunction `code`,
 * "Maximum length of 32768" (https://docs.aws.amazon.com/appsync/latest/APIReference/API_Resolver.html).
 * AWS counts the UTF-8 bytes of the code, not its characters, so `'é'` counts twice.
 */

/** The most UTF-8 bytes of code AppSync accepts. */
export const MAX_RESOLVER_CODE_BYTES = 32_768;

/** The size AppSync measures `code` by: its UTF-8 bytes. */
export function resolverCodeBytes(code: string): number {
  return Buffer.byteLength(code, 'utf8');
}
