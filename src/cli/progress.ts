/** A one-line progress bar on stderr, only on a terminal and never under --json. */
export interface ProgressBar {
  update(fraction: number | null, text: string): void;
  done(): void;
}

export function progressBar(enabled: boolean): ProgressBar {
  const tty = enabled && process.stderr.isTTY === true;
  let drawn = false;
  return {
    update(fraction, text) {
      if (!tty) return;
      const width = 24;
      const f = fraction === null ? null : Math.max(0, Math.min(1, fraction));
      const bar = f === null ? '' : `[${'#'.repeat(Math.round(f * width)).padEnd(width, '.')}] ${(f * 100).toFixed(0).padStart(3)}% `;
      process.stderr.write(`\r${bar}${text}`.slice(0, (process.stderr.columns ?? 100) - 1).padEnd(Math.min(process.stderr.columns ?? 100, 100) - 1));
      drawn = true;
    },
    done() {
      if (tty && drawn) process.stderr.write('\r' + ' '.repeat(Math.min(process.stderr.columns ?? 100, 100) - 1) + '\r');
    },
  };
}
