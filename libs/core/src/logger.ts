import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

/** Fields every log line written inside a request or job carries (request id, brand, job). */
export const logContext = new AsyncLocalStorage<Record<string, unknown>>();

/** One JSON object per line on stdout: what log shippers expect, and greppable by requestId. */
export class JsonLogger implements LoggerService {
  private threshold: number;

  constructor(
    level: LogLevel = 'info',
    private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  ) {
    this.threshold = LEVELS[level];
  }

  setLevel(level: LogLevel): void {
    this.threshold = LEVELS[level];
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }

  private emit(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (LEVELS[level] < this.threshold) return;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level, ...logContext.getStore() };
    // Nest passes the context (class name) last, and a stack before it for errors.
    const args = [...rest];
    if (typeof args[args.length - 1] === 'string') entry.context = args.pop();
    if (message instanceof Error) {
      entry.msg = message.message;
      entry.err = { name: message.name, message: message.message, stack: message.stack };
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(entry, message);
    } else {
      entry.msg = String(message);
    }
    for (const extra of args) {
      if (typeof extra === 'string') entry.stack = extra;
      else if (extra instanceof Error) entry.err = { name: extra.name, message: extra.message, stack: extra.stack };
      else if (extra && typeof extra === 'object') Object.assign(entry, extra);
    }
    this.write(JSON.stringify(entry));
  }
}
