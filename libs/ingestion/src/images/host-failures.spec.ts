import { ConnectFailedError, DnsFailedError, hostDown, TimeoutError, type HostDown } from '@brandshelf/net';
import { HOST_FAILURE_LIMIT, HostFailures } from './host-failures.js';

// Errors as SafeHttpClient and SsrfGuard raise them; nothing here touches the network.
const refused = (host: string) => hostDown(new ConnectFailedError('ECONNREFUSED', `http://${host}/a.jpg`))!;
const timedOut = (host: string) => hostDown(new TimeoutError('read', 300, `http://${host}/a.jpg`))!;
const dns = (hostname: string, errno: string) => hostDown(new DnsFailedError(hostname, errno))!;

describe('HostFailures', () => {
  it(`condemns a host after ${HOST_FAILURE_LIMIT} refusals or timeouts in a row, once, with the last reason`, () => {
    const hosts = new HostFailures();
    const verdicts: boolean[] = [];
    for (let i = 0; i < HOST_FAILURE_LIMIT - 1; i++) verdicts.push(hosts.failed(refused('cdn.example:8080')));
    expect(hosts.condemned('cdn.example:8080')).toBeNull();
    verdicts.push(hosts.failed(timedOut('cdn.example:8080')));
    verdicts.push(hosts.failed(refused('cdn.example:8080')));
    expect(verdicts).toEqual([...Array(HOST_FAILURE_LIMIT - 1).fill(false), true, false]);
    const down = hosts.condemned('cdn.example:8080') as HostDown;
    expect(down).toMatchObject({ kind: 'TIMEOUT', code: 'TIMEOUT' });
    expect(down.reason).toBe(
      `Waiting for an answer from cdn.example:8080 timed out after 300 ms, ${HOST_FAILURE_LIMIT} times in a row`,
    );
    // host:port is the key: the same name on another port, or another host, is not condemned.
    expect(hosts.condemned('cdn.example')).toBeNull();
    expect(hosts.condemned('other.example:8080')).toBeNull();
  });

  it('starts the count over when the host answers between failures', () => {
    const hosts = new HostFailures();
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < HOST_FAILURE_LIMIT - 1; i++) expect(hosts.failed(refused('flaky.example'))).toBe(false);
      hosts.answered('flaky.example');
    }
    expect(hosts.condemned('flaky.example')).toBeNull();
  });

  it('takes one "no such name" as proof, but not a resolver that could not answer', () => {
    const hosts = new HostFailures();
    expect(hosts.failed(dns('gone.example', 'ENOTFOUND'))).toBe(true);
    expect(hosts.condemned('gone.example')?.reason).toBe('Could not resolve gone.example (ENOTFOUND)');
    expect(hosts.failed(dns('busy.example', 'EAI_AGAIN'))).toBe(false);
    expect(hosts.condemned('busy.example')).toBeNull();
  });

  it('does not revive a condemned host when a late download from it succeeds', () => {
    const hosts = new HostFailures(1);
    hosts.failed(refused('dead.example'));
    hosts.answered('dead.example');
    expect(hosts.condemned('dead.example')).not.toBeNull();
  });
});
