/** An error in what the user gave us (arguments, files, configs): exit status 2, no stack. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super(message);
  }
}
