/**
 * Loaded into the API child of bench/serve-memory with `--import` (never by the app): answers each `probe`
 * message on the IPC channel with the main isolate's memory (process.memoryUsage() and its heap spaces), so
 * the bench can print what the peak is made of. It holds nothing between questions and never keeps the process
 * alive. The reader thread's heap is a separate isolate this cannot see; the bench estimates it from
 * /proc/<pid>/smaps (V8's 256 KiB pages of all isolates minus the main isolate's).
 */
import { getHeapSpaceStatistics } from 'node:v8';

export interface ProbeAnswer {
  type: 'probe';
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Committed bytes of each heap space of the main isolate (new_space, old_space, code_space, …). */
  spaces: Record<string, number>;
}

if (process.send && process.channel) {
  process.channel.unref();
  process.on('message', (message: { type?: string }) => {
    if (message?.type !== 'probe') return;
    const usage = process.memoryUsage();
    const spaces: Record<string, number> = {};
    for (const space of getHeapSpaceStatistics()) spaces[space.space_name] = space.space_size;
    const answer: ProbeAnswer = { type: 'probe', ...usage, spaces };
    process.send!(answer);
  });
  // A 'message' listener refs the channel again; the server's sockets are what keep the process alive.
  process.channel.unref();
}
