/** What the progress display shows: the run's counters, or the upload before the run exists. */
export interface ProgressState {
  phase: string;
  bytesRead: number;
  bytesTotal: number | null;
  rowsRead: number;
  itemsAccepted: number;
  itemsRejected: number;
  imagesTotal?: number;
  imagesDone?: number;
  imagesFailed?: number;
  imagesSkipped?: number;
  publishStatus?: string;
}

/**
 * Progress on stderr. On a terminal, one bar redrawn in place. Otherwise (a log file, CI, a pipe) a
 * bar drawn with carriage returns is unreadable and goes stale when nothing changes, so it prints a
 * full line when the phase changes and every `everyMs` whatever happens, elapsed time included, so a
 * reader can tell a slow run from a dead one.
 */
export class ProgressBar {
  private readonly started = Date.now();
  private state: ProgressState | null = null;
  private lastPhase = '';
  private lastDraw = 0;
  private finished = false;
  private printed = '';
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly everyMs = 5000,
  ) {
    this.timer = setInterval(() => this.tick(), this.out.isTTY ? 1000 : everyMs);
    this.timer.unref();
  }

  update(state: ProgressState): void {
    if (this.finished) return;
    this.state = { ...state };
    if (this.out.isTTY) {
      if (Date.now() - this.lastDraw >= 100 || state.phase !== this.lastPhase) this.draw();
    } else if (state.phase !== this.lastPhase) {
      this.print();
    }
    this.lastPhase = state.phase;
  }

  /** Draws the last state once more and stops; later calls do nothing. */
  done(): void {
    if (this.finished) return;
    this.finished = true;
    clearInterval(this.timer);
    if (this.out.isTTY && this.state) {
      this.draw();
      this.out.write('\n');
    } else if (this.state && JSON.stringify(this.state) !== this.printed) {
      this.print();
    }
  }

  private tick(): void {
    if (!this.state) return;
    if (this.out.isTTY) this.draw();
    else this.print();
  }

  private draw(): void {
    this.lastDraw = Date.now();
    this.out.write(`\r${this.line(true)}\x1b[K`);
  }

  private print(): void {
    this.printed = JSON.stringify(this.state);
    this.out.write(`progress ${this.line(false)}\n`);
  }

  private line(withBar: boolean): string {
    const s = this.state!;
    const seconds = (Date.now() - this.started) / 1000;
    const parts = [withBar ? s.phase.padEnd(9) : s.phase];
    const share = s.bytesTotal ? Math.min(1, s.bytesRead / s.bytesTotal) : null;
    if (withBar && share !== null) {
      const width = 28;
      const filled = Math.round(share * width);
      parts.push(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%`);
    } else if (share !== null) {
      parts.push(`${(share * 100).toFixed(0)}% of ${s.bytesTotal} bytes`);
    } else if (s.bytesRead) {
      parts.push(`${s.bytesRead} bytes`);
    }
    if (s.phase !== 'UPLOADING') {
      parts.push(`${s.rowsRead} rows (${s.itemsAccepted} ok, ${s.itemsRejected} rejected)`);
    }
    if (s.imagesTotal) {
      parts.push(
        `images ${(s.imagesDone ?? 0) + (s.imagesFailed ?? 0) + (s.imagesSkipped ?? 0)}/${s.imagesTotal}` +
          (s.imagesFailed ? ` (${s.imagesFailed} failed)` : ''),
      );
    }
    parts.push(`${seconds.toFixed(1)}s`);
    return parts.join(' ');
  }
}
