/** Types of test/ensureServices.mjs (plain JavaScript, so that it runs before any build). */
export type Plan =
  | { readonly action: 'ok' }
  | { readonly action: 'install'; readonly packages: readonly string[] }
  | { readonly action: 'stop'; readonly message: string };
export declare const plan: (o: { missing: readonly string[]; isRoot: boolean; hasAptGet: boolean }) => Plan;
export declare const onPath: (name: string, env: Record<string, string | undefined>) => string | null;
export declare const main: (env?: Record<string, string | undefined>) => number;
