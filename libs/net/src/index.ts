export * from './ip-address.js';
export * from './net.errors.js';
export * from './safe-http.client.js';
export * from './ssrf.guard.js';
export * from './host-limiter.js';
