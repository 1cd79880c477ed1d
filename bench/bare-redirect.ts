/**
 * The baseline of bench/links: a bare Node HTTP server answering GET /l/<code> with the same 302 the API gives
 * (a fresh random click id and utm parameters set on the landing URL with the URL API), and nothing else: no
 * framework, no lookup, no click counted. Prints its port on stdout once listening.
 */
import { createServer } from 'node:http';
import { randomBase62, landingUrl } from '@brandshelf/affiliate';

const target = { code: '', channel: 'TIKTOK', creatorHandle: 'bench_creator' };
const server = createServer((req, res) => {
  const code = (req.url ?? '/').split('?')[0].split('/')[2] ?? '';
  const location = landingUrl(`https://shop.example/p/${code}?ref=feed`, { ...target, code }, randomBase62(20));
  res.writeHead(302, { location, 'cache-control': 'no-store', 'content-length': '0' });
  res.end();
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as { port: number }).port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
