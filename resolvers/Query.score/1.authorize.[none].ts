// The shared permission check (lib/authorize.ts), in front of this field's data access.
export { request, response } from '../lib/authorize';
