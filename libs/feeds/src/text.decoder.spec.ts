import { describe, expect, it } from '@jest/globals';
import { FeedTextDecoder } from './text.decoder.js';

describe('FeedTextDecoder', () => {
  it('says where in the returned text Windows-1252 takes over, after a stripped BOM too', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id\nCaf'), Buffer.from([0xe9, 0x0a])]);
    const decoder = new FeedTextDecoder('utf-8');
    const text = decoder.write(bytes);
    expect(text).toBe('id\nCafé\n');
    const fallback = decoder.takeFallback();
    expect(fallback).toEqual({ offset: 9, index: 6 });
    expect(text.slice(0, fallback!.index)).toBe('id\nCaf');
    // Reported once.
    expect(decoder.takeFallback()).toBeNull();
  });

  it('reports the fallback of a later chunk against that chunk, and the byte offset in the whole file', () => {
    const decoder = new FeedTextDecoder('utf-8');
    expect(decoder.write(Buffer.from('id,title\nA,Crème\n'))).toBe('id,title\nA,Crème\n');
    expect(decoder.takeFallback()).toBeNull();
    const text = decoder.write(Buffer.concat([Buffer.from('B,P'), Buffer.from([0xe2]), Buffer.from('te\n')]));
    expect(text).toBe('B,Pâte\n');
    expect(decoder.takeFallback()).toEqual({ offset: 18 + 3, index: 3 });
    expect(decoder.encoding).toBe('windows-1252');
  });
});
