/** A one-line progress bar on stderr (redrawn in place on a terminal, one line a second otherwise). */
export class ProgressBar {
  private lastLine = 0;
  private readonly started = Date.now();

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  update(state: {
    phase: string;
    bytesRead: number;
    bytesTotal: number | null;
    rowsRead: number;
    itemsAccepted: number;
    itemsRejected: number;
  }): void {
    const seconds = (Date.now() - this.started) / 1000;
    const share = state.bytesTotal ? Math.min(1, state.bytesRead / state.bytesTotal) : null;
    const width = 28;
    const filled = share === null ? 0 : Math.round(share * width);
    const bar =
      share === null
        ? ''
        : `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% `;
    const rate = seconds > 0 ? Math.round(state.rowsRead / seconds) : 0;
    const line =
      `${state.phase.padEnd(9)} ${bar}${state.rowsRead} rows (${state.itemsAccepted} ok, ${state.itemsRejected} rejected) ` +
      `${rate}/s ${seconds.toFixed(1)}s`;
    if (this.out.isTTY) {
      this.out.write(`\r${line}\x1b[K`);
    } else if (Date.now() - this.lastLine >= 1000) {
      this.lastLine = Date.now();
      this.out.write(line + '\n');
    }
  }

  done(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}
