/**
 * Headless Chromium (Debian's `chromium`) for report tests: `renderReport` opens a report.html,
 * lets its own check script write a summary of the rendered figures into document.title, and
 * returns that summary with the DOM. Fails (never skips) without chromium.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const chromium = (dir: string, args: string[]) =>
  spawnSync(
    CHROMIUM,
    [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--user-data-dir=${mkdtempSync(join(dir, 'profile-'))}`, ...args,
    ],
    { encoding: 'utf8', timeout: 90_000 },
  );

export interface RenderSummary {
  readonly figures: number;
  readonly imgs: { w: number; h: number; ok: boolean }[];
  readonly svgs: { marks: number; w: number }[];
}

/** The rendered DOM of `file` and the summary its check script wrote (throws when Chromium fails). */
export const renderReport = (dir: string, file: string): { dom: string; summary: RenderSummary } => {
  const r = chromium(dir, ['--virtual-time-budget=5000', '--dump-dom', `file://${file}`]);
  if (r.status !== 0) throw new Error(`chromium exited ${r.status}: ${r.stderr}`);
  const title = /<title>([^<]*)<\/title>/.exec(r.stdout)?.[1] ?? '';
  return { dom: r.stdout, summary: JSON.parse(title.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as RenderSummary };
};
