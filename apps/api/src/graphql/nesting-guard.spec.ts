import { describe, expect, it } from '@jest/globals';
import { MAX_DOCUMENT_NESTING, MAX_VARIABLE_NESTING, tooDeepDocument, tooDeepVariable } from './nesting-guard.js';

describe('nesting guard', () => {
  const brackets = (n: number) => '['.repeat(n) + '1' + ']'.repeat(n);

  it('counts the brackets a document opens at once, not those in strings, block strings or comments', () => {
    const deepString = `"${'{'.repeat(1000)}"`;
    const deepBlock = `"""${'['.repeat(1000)} \\""" ${'('.repeat(1000)}"""`;
    const deepComment = `# ${'{'.repeat(1000)}\n`;
    expect(tooDeepDocument(`{ a(x: ${deepString}, y: ${deepBlock}) ${deepComment} { b } }`)).toBeNull();
    expect(tooDeepDocument(`{ a(x: ${brackets(MAX_DOCUMENT_NESTING - 2)}) }`)).toBeNull();
    expect(tooDeepDocument(`{ a(x: ${brackets(MAX_DOCUMENT_NESTING - 1)}) }`)).toBe(
      `line 1, column ${8 + MAX_DOCUMENT_NESTING - 2}`,
    );
    // A document that does not lex is left for graphql-js to refuse.
    expect(tooDeepDocument(`{ a(x: "unterminated ${'['.repeat(1000)}`)).toBeNull();
  });

  it('names the path where variables first nest too deep, whatever the keys hold', () => {
    // Exactly the limit: lists and objects alternating, MAX_VARIABLE_NESTING of them.
    let value: unknown = 'x';
    for (let i = 0; i < MAX_VARIABLE_NESTING; i++) value = i % 2 ? { 'a.b': value } : [value];
    expect(tooDeepVariable({ v: value })).toBeNull();
    const path = tooDeepVariable({ ok: 'x', v: { all: value } });
    expect(path).toMatch(/^\$v\.all\["a\.b"\]\[0\]\["a\.b"\]/);
    // $v and .all, then a segment per level down to the first one past the limit.
    expect(path!.split('[').length - 1).toBe(MAX_VARIABLE_NESTING - 1);
    expect(tooDeepVariable({ n: JSON.parse(brackets(100_000)) })).toMatch(/^\$n(\[0\]){100}$/);
  });
});
