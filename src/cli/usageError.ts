/** An error in what the user gave us (arguments, files, configs): exit status 2, no stack. */
export { InputError as UsageError } from '../io/inputError.ts';
