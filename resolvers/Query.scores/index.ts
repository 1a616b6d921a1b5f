// The pipeline's own steps pass through: 1.authorize checks the caller, 2 reads the table.
export { request, response } from '../lib/pass-through';
