import { createHmac } from 'node:crypto';
import { adminApiEndpoint, normalizeShopDomain } from './shop-domain.js';
import { verifyShopifyHmac } from './shopify-webhooks.service.js';

describe('shop domains', () => {
  it('takes the store name, its myshopify.com domain or an admin URL', () => {
    for (const input of [
      'acme',
      'ACME.myshopify.com',
      'https://acme.myshopify.com/admin/products',
      ' acme.myshopify.com/ ',
    ]) {
      expect(normalizeShopDomain(input, [])).toBe('acme.myshopify.com');
    }
  });

  it('refuses other hosts unless SSRF_ALLOW_HOSTS names them (tests, local fakes)', () => {
    for (const input of [
      'shop.example.com',
      '127.0.0.1:8080',
      '169.254.169.254',
      'acme.myshopify.com.evil.io',
      'a b',
    ]) {
      expect(() => normalizeShopDomain(input, [])).toThrow(/not a Shopify store domain/);
    }
    expect(normalizeShopDomain('127.0.0.1:8080', ['127.0.0.1'])).toBe('127.0.0.1:8080');
    expect(normalizeShopDomain('127.0.0.5:8080', ['127.0.0.0/8'])).toBe('127.0.0.5:8080');
    expect(normalizeShopDomain('dev.shops.internal', ['*.shops.internal'])).toBe('dev.shops.internal');
    expect(() => normalizeShopDomain('127.0.0.1:8080@evil.example', ['127.0.0.1'])).toThrow(); // userinfo trick
  });

  it('speaks https to Shopify and plain http only to loopback', () => {
    expect(adminApiEndpoint('acme.myshopify.com', '2025-01')).toBe(
      'https://acme.myshopify.com/admin/api/2025-01/graphql.json',
    );
    expect(adminApiEndpoint('127.0.0.1:8080', '2025-01')).toBe('http://127.0.0.1:8080/admin/api/2025-01/graphql.json');
    expect(adminApiEndpoint('dev.shops.internal', '2025-01')).toMatch(/^https:/);
  });
});

describe('webhook signatures', () => {
  const body = Buffer.from('{"id": 7880321196742, "title": "Example T-Shirt"}');
  const sign = (secret: string, bytes = body) => createHmac('sha256', secret).update(bytes).digest('base64');

  it('accepts the base64 HMAC-SHA256 of the raw body and nothing else', () => {
    expect(verifyShopifyHmac(body, 'secret', sign('secret'))).toBe(true);
    expect(verifyShopifyHmac(body, 'secret', sign('other'))).toBe(false);
    expect(verifyShopifyHmac(Buffer.from(body.toString().replace('Example', 'Forged')), 'secret', sign('secret'))).toBe(
      false,
    );
    // Re-serialized JSON is not the signed bytes.
    expect(verifyShopifyHmac(Buffer.from(JSON.stringify(JSON.parse(body.toString()))), 'secret', sign('secret'))).toBe(
      false,
    );
    expect(verifyShopifyHmac(body, 'secret', '')).toBe(false);
    expect(verifyShopifyHmac(body, 'secret', 'not base64 at all')).toBe(false);
  });
});
