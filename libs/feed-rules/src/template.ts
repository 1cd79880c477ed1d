import { firstOf, resolveAttribute, type AttributeRef } from './attribute.ref.js';
import type { FeedItemFields } from './feed-rule.types.js';

/**
 * A value template over the item's attributes: `https://shop.example.com/products/{handle}`. `{name}` is the
 * attribute's current value (names resolve as in conditions; a list gives its first value), inserted as is (not
 * URL-encoded) and empty when the item does not have it. `{{` and `}}` are literal braces. A lone brace, an empty
 * `{}` or a name with a brace in it is a syntax error.
 */
export interface Template {
  readonly attributes: readonly string[];
  /** Null when the result would be longer than `max` characters. */
  render(item: FeedItemFields, max: number): string | null;
}

export type TemplateParse = { ok: true; template: Template } | { ok: false; message: string };

export function parseTemplate(text: string): TemplateParse {
  const literals: string[] = [];
  const refs: AttributeRef[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '{') {
      if (text[i + 1] === '{') {
        literal += '{';
        i += 2;
        continue;
      }
      const close = text.indexOf('}', i + 1);
      const open = text.indexOf('{', i + 1);
      if (close < 0 || (open >= 0 && open < close)) {
        return { ok: false, message: `Unclosed "{" at character ${i + 1}; write "{{" for a literal brace` };
      }
      const name = text.slice(i + 1, close).trim();
      if (!name) return { ok: false, message: `Empty placeholder "{}" at character ${i + 1}` };
      literals.push(literal);
      literal = '';
      refs.push(resolveAttribute(name));
      i = close + 1;
    } else if (ch === '}') {
      if (text[i + 1] !== '}')
        return { ok: false, message: `Unopened "}" at character ${i + 1}; write "}}" for a literal brace` };
      literal += '}';
      i += 2;
    } else {
      literal += ch;
      i++;
    }
  }
  literals.push(literal);
  const attributes = refs.map((ref) => ref.name);
  if (refs.length === 0) {
    const constant = literals[0];
    return { ok: true, template: { attributes, render: (_, max) => (constant.length > max ? null : constant) } };
  }
  return {
    ok: true,
    template: {
      attributes,
      render(item, max) {
        let out = literals[0];
        for (let k = 0; k < refs.length; k++) {
          out += firstOf(refs[k].valueIn(item)) ?? '';
          out += literals[k + 1];
          if (out.length > max) return null;
        }
        return out.length > max ? null : out;
      },
    },
  };
}
