/** Types of build.mjs (plain JavaScript so that it runs before anything is compiled). */
export declare const root: string;
export declare const dist: string;
export declare const entries: Record<'spikeline' | 'trainWorker', string>;
export declare const ensureBuilt: (opts?: {
  force?: boolean;
  quiet?: boolean;
}) => Promise<Record<'spikeline' | 'trainWorker', string>>;
