import * as crypto from 'node:crypto';

import type { NormalizedProduct } from './normalized-product.model.js';
import { setOwn } from './own-property.js';

/**
 * sha256 (hex) of the product as canonical JSON: object keys sorted at every depth, arrays in order. Equal products
 * hash equal however their objects were built, so re-ingesting an unchanged item can be skipped by comparing hashes.
 */
export function contentHash(product: NormalizedProduct): string {
  return hashCanonicalJson(canonicalJson(product));
}

// crypto.hash (Node ≥ 20.12) hashes a string in one call, without a Hash object per item.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/** The content hash of an already canonical JSON string: lets the ingest path serialize a product once. */
export function hashCanonicalJson(json: string): string {
  return oneShot ? oneShot('sha256', json, 'hex') : crypto.createHash('sha256').update(json).digest('hex');
}

/** JSON with object keys sorted at every depth; `undefined` properties are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  // Validated products are built in key order, so usually only a check is needed, not a sorted copy.
  return JSON.stringify(isCanonical(value) ? value : sortedCopy(value));
}

function isCanonical(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(isCanonical);
  if (!hasKeysInOrder(value)) return false;
  for (const key in value) if (!isCanonical((value as Record<string, unknown>)[key])) return false;
  return true;
}

/** True when the object's keys enumerate in sorted order, as canonical JSON needs them. */
export function hasKeysInOrder(value: object): boolean {
  let previous = '';
  for (const key in value) {
    if (key < previous) return false;
    previous = key;
  }
  return true;
}

function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedCopy);
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) setOwn(out, key, sortedCopy(record[key]));
  return out;
}

/**
 * The stored form of a product: canonical JSON without nulls, empty lists and objects, or
 * `presentAttributes` (derivable, and only needed while reading). A third of the size of the full
 * object, which is what PostgreSQL parses and stores per item, so it is also what the ingest path hashes.
 */
export function compactProductJson(product: NormalizedProduct): string {
  const out: Record<string, unknown> = {};
  const record = product as unknown as Record<string, unknown>;
  for (const key in record) {
    if (key === 'presentAttributes') continue;
    const value = record[key];
    if (value === null || value === undefined) continue;
    if (typeof value === 'object') {
      if (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0) continue;
    }
    out[key] = value;
  }
  return canonicalJson(out);
}
