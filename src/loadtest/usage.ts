/** A mistake in how the bench was asked for (options, ids file, auth set-up): exit code 2, not 1. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
