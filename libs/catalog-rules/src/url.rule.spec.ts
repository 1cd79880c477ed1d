import { describe, expect, it } from '@jest/globals';

import { checkUrl } from './url.rule.js';

describe('checkUrl', () => {
  it.each([
    'https://shop.example.com/products/tee',
    'http://shop.example.com',
    'HTTPS://Shop.Example.com/a?b=1&c=2#top',
    'https://airfeelfilters.com/cdn/shop/files/1-set1.png?v=1748723738&width=1100',
    'https://res.cloudinary.com/x/image/upload/w_100,h_100/a.jpg',
    'https://user:pw@shop.example.com:8443/p',
  ])('accepts %s unchanged', (url) => {
    expect(checkUrl(url)).toEqual({ url, finding: null });
  });

  it('assumes https for a protocol-relative URL, with a warning', () => {
    const check = checkUrl('//cdn.example.com/x.jpg');
    expect(check.url).toBe('https://cdn.example.com/x.jpg');
    expect(check.finding).toMatchObject({ code: 'PROTOCOL_RELATIVE_URL', severity: 'WARNING' });
  });

  it('encodes spaces inside a URL', () => {
    expect(checkUrl(' https://cdn.example.com/my photo.jpg ').url).toBe('https://cdn.example.com/my%20photo.jpg');
  });

  it.each([
    ['/products/tee', 'without a host'],
    ['www.example.com/tee', 'no scheme'],
    ['ftp://example.com/x.jpg', 'ftp'],
    ['example-ios://electronic/db_1', 'example-ios'],
    ['a47bec_5ba1e2b0~mv2.jpg', 'not an absolute'],
    ['https://localhost/x.jpg', 'host "localhost", which is not a public domain name'],
    ['http://user@cdn:8080/x.jpg', 'host "cdn", which is not a public domain name'],
    ['https:/example.com/x', 'not an absolute'],
    ['https:///x.jpg', 'not an absolute'],
  ])('refuses %s as INVALID_URL', (raw, said) => {
    const check = checkUrl(raw);
    expect(check.url).toBeNull();
    expect(check.finding?.code).toBe('INVALID_URL');
    expect(check.finding?.message).toContain(said);
  });

  it('says a host without a dot is not a public name, and how to write it', () => {
    expect(checkUrl('https://cdn/img/1.jpg').finding?.hint).toContain('https://cdn.example.com/');
  });

  it('suggests adding https:// to a bare host', () => {
    expect(checkUrl('www.example.com/tee').finding?.hint).toContain('https://www.example.com/tee');
  });

  it('refuses URLs over 2000 characters as VALUE_TOO_LONG', () => {
    const check = checkUrl(`https://example.com/${'a'.repeat(2000)}`);
    expect(check.url).toBeNull();
    expect(check.finding?.code).toBe('VALUE_TOO_LONG');
  });
});
