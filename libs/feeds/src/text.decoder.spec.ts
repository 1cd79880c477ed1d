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

  it('reads only the bytes that are not UTF-8 as Windows-1252, the UTF-8 after them still as UTF-8', () => {
    const decoder = new FeedTextDecoder('utf-8');
    const parts = [Buffer.from('A,Mug '), Buffer.from([0x96]), Buffer.from(' blue,Crème\nB,Caf'), Buffer.from([0xe9])];
    const text = decoder.write(Buffer.concat([...parts, Buffer.from(' \u20ac5,Brûlée\n')]));
    expect(text).toBe('A,Mug – blue,Crème\nB,Café €5,Brûlée\n');
    expect(decoder.takeFallback()).toEqual({ offset: 6, index: 6 });
    // A later chunk: valid UTF-8 around a stray byte, and a character split across the chunks.
    const euro = Buffer.from('\u20ac');
    expect(decoder.write(Buffer.concat([Buffer.from('C,'), Buffer.from([0x80, 0x20]), euro.subarray(0, 1)]))).toBe(
      'C,€ ',
    );
    expect(decoder.write(Buffer.concat([euro.subarray(1), Buffer.from('ü\n')]))).toBe('€ü\n');
    expect(decoder.takeFallback()).toBeNull();
  });
});
