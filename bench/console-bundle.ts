/**
 * bench/console-bundle: what the web console's first load costs a browser. Builds the console (as `npm run build`
 * does) and prints, for dist/console, the bytes of index.html and of every script and stylesheet it links (the
 * first load; other chunks load later, if any), raw and gzip -9, and the target (< 250 KB gzip). Exit 1 over it.
 *
 *   npm run bench:console-bundle
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = join(process.cwd(), 'dist', 'console');
const TARGET_KB = 250;

const html = await readFile(join(dist, 'index.html'), 'utf8');
const linked = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const rows = [{ file: 'index.html', body: Buffer.from(html) }];
for (const file of linked) rows.push({ file, body: await readFile(join(dist, file)) });
let raw = 0;
let gzip = 0;
for (const { file, body } of rows) {
  const zipped = gzipSync(body, { level: 9 }).length;
  raw += body.length;
  gzip += zipped;
  console.log(
    `${file.padEnd(40)} ${(body.length / 1024).toFixed(1).padStart(8)} KB raw ${(zipped / 1024).toFixed(1).padStart(7)} KB gzip`,
  );
}
const all = (await readdir(join(dist, 'assets'))).filter((f) => !f.endsWith('.map'));
console.log(
  `first load: ${(gzip / 1024).toFixed(1)} KB gzip (${(raw / 1024).toFixed(1)} KB raw) in ${rows.length} files; ` +
    `target < ${TARGET_KB} KB gzip; ${all.length} asset files in all`,
);
if (gzip > TARGET_KB * 1024) process.exitCode = 1;
