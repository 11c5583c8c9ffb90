/**
 * An error in what came from outside (arguments, files, configs, data sets): the program reports
 * the message, naming what and where, and exits with status 2. No stack trace.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}
