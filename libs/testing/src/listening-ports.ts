import { readdir, readFile, readlink } from 'node:fs/promises';

/**
 * The TCP ports this process listens on, from /proc (Linux): its socket descriptors matched against the
 * kernel's tables of sockets in state LISTEN. Null where there is no /proc to read.
 */
export async function listeningTcpPorts(): Promise<number[] | null> {
  let fds: string[];
  try {
    fds = await readdir('/proc/self/fd');
  } catch {
    return null;
  }
  const inodes = new Set<string>();
  for (const fd of fds) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    const socket = /^socket:\[(\d+)\]$/.exec(target);
    if (socket) inodes.add(socket[1]);
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      const columns = line.trim().split(/\s+/);
      if (columns.length < 10 || columns[3] !== '0A' || !inodes.has(columns[9])) continue;
      ports.add(parseInt(columns[1].split(':').pop()!, 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}
