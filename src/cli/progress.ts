/**
 * A progress line for long work: bar, count, images/s, ETA, running loss and, for classifiers,
 * running accuracy. On a terminal it redraws one line; otherwise (logs, CI) it prints a line
 * every `intervalSeconds`.
 */
import type { BatchProgress } from '../train/fit.ts';

export interface ProgressLine {
  update(p: BatchProgress, epochs: number): void;
  /** Ends the current line (before printing anything else). */
  done(): void;
}

const fmtSeconds = (s: number): string => {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
};

export const formatProgress = (p: BatchProgress, epochs: number, width = 24): string => {
  const frac = p.total > 0 ? p.done / p.total : 0;
  const filled = Math.round(frac * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const eta = (p.total - p.done) / p.imagesPerSec;
  const acc = p.runningAccuracy !== undefined && Number.isFinite(p.runningAccuracy) ? `  acc ${(100 * p.runningAccuracy).toFixed(1)} %` : '';
  return `epoch ${p.epoch + 1}/${epochs} ${bar} ${String(Math.round(frac * 100)).padStart(3)}% ${p.done}/${p.total}  ${Math.round(p.imagesPerSec)} img/s  ETA ${fmtSeconds(eta)}  loss ${p.runningLoss.toFixed(5)}${acc}`;
};

export const progressLine = (
  stream: NodeJS.WriteStream = process.stderr,
  intervalSeconds = 5,
): ProgressLine => {
  const tty = stream.isTTY === true;
  let last = 0;
  let open = false;
  return {
    update: (p, epochs) => {
      const line = formatProgress(p, epochs);
      if (tty) {
        stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1)}\x1b[K`);
        open = true;
      } else if (p.elapsedSeconds - last >= intervalSeconds || p.elapsedSeconds < last) {
        last = p.elapsedSeconds;
        stream.write(`${line}\n`);
      }
    },
    done: () => {
      if (open) stream.write('\n');
      open = false;
      last = 0;
    },
  };
};
