/**
 * Where a run's CPU goes, from Linux's /proc (for bench/ingest): this process's main thread, its busiest other
 * thread (the feed reader, in a run with INGEST_WORKER_THREADS on), its remaining threads (V8's garbage-collection
 * and compiler helpers, libuv's pool) and the PostgreSQL processes of this machine (the run's backends; a backend
 * that exits between two samples takes its time with it). Null where /proc is not there (not Linux).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface CpuSample {
  /** CPU seconds (user + system) by thread id of this process. */
  threads: Map<string, number>;
  /** CPU seconds of the processes named postgres. */
  postgres: number;
}

export interface CpuSplit {
  main: number;
  reader: number;
  otherThreads: number;
  postgres: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux build Node runs on

/** [command name, user + system seconds] of a /proc stat file. */
function readStat(path: string): [string, number] {
  const text = readFileSync(path, 'utf8');
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  // After "pid (comm) ": state is field 0, utime field 11, stime field 12.
  return [text.slice(text.indexOf('(') + 1, close), (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND];
}

export function sampleCpu(): CpuSample | null {
  if (!existsSync('/proc/self/task')) return null;
  const threads = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      threads.set(tid, readStat(`/proc/self/task/${tid}/stat`)[1]);
    } catch {
      // The thread ended while listing.
    }
  }
  let postgres = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const [name, seconds] = readStat(`/proc/${pid}/stat`);
      if (name.startsWith('postgres')) postgres += seconds;
    } catch {
      // Gone, or not ours to read.
    }
  }
  return { threads, postgres };
}

/** The CPU seconds spent between two samples, split as described above. */
export function cpuBetween(before: CpuSample, after: CpuSample): CpuSplit {
  const main = String(process.pid);
  const split: CpuSplit = {
    main: 0,
    reader: 0,
    otherThreads: 0,
    postgres: Math.max(0, after.postgres - before.postgres),
  };
  const others: number[] = [];
  for (const [tid, seconds] of after.threads) {
    const spent = seconds - (before.threads.get(tid) ?? 0);
    if (tid === main) split.main = spent;
    else others.push(spent);
  }
  others.sort((a, b) => b - a);
  split.reader = others[0] ?? 0;
  split.otherThreads = others.slice(1).reduce((sum, s) => sum + s, 0);
  return split;
}
