/**
 * Where the project's contract lives on disk, for the CDK app, the build and the offline server
 * alike: the schema, the resolver sources and the bundles built from them.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESOLVERS_DIR = path.join(PROJECT_ROOT, 'resolvers');
export const BUNDLES_DIR = path.join(PROJECT_ROOT, 'build', 'resolvers');
export const SCHEMA_DIR = path.join(PROJECT_ROOT, 'schema');
