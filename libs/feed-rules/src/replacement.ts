/**
 * A REPLACE action's replacement, parsed once: literal text and the substitutions String.prototype.replace knows —
 * `$$` (a dollar), `$&` (the match), `$1`…`$99` (a group; `$10` is group 1 then "0" when there are fewer than ten
 * groups, a group the pattern does not have stays literal) and `$<name>` (a named group). `` $` `` and `$'` (the text
 * before and after the match) are refused at validation: each match would copy the whole value, a quadratic blow-up.
 */
export type ReplacementPart = string | { group: number } | { name: string } | { match: true };

export function forbiddenReplacement(replacement: string): string | null {
  for (let i = 0; i < replacement.length - 1; i++) {
    if (replacement[i] !== '$') continue;
    const next = replacement[i + 1];
    if (next === '$') i++;
    else if (next === '`' || next === "'") {
      return `"$${next}" (the text ${next === '`' ? 'before' : 'after'} the match) is not supported in a replacement; write "$$" for a literal dollar`;
    }
  }
  return null;
}

export function parseReplacement(replacement: string, groupCount: number, namedGroups: boolean): ReplacementPart[] {
  const parts: ReplacementPart[] = [];
  let literal = '';
  const flush = () => {
    if (literal) parts.push(literal);
    literal = '';
  };
  for (let i = 0; i < replacement.length; i++) {
    const ch = replacement[i];
    const next = replacement[i + 1];
    if (ch !== '$' || next === undefined) {
      literal += ch;
      continue;
    }
    if (next === '$') {
      literal += '$';
      i++;
    } else if (next === '&') {
      flush();
      parts.push({ match: true });
      i++;
    } else if (next >= '0' && next <= '9') {
      const two = replacement.slice(i + 1, i + 3);
      const twoDigits = /^\d\d$/.test(two) ? Number(two) : 0;
      const one = Number(next);
      if (twoDigits >= 1 && twoDigits <= groupCount) {
        flush();
        parts.push({ group: twoDigits });
        i += 2;
      } else if (one >= 1 && one <= groupCount) {
        flush();
        parts.push({ group: one });
        i++;
      } else {
        literal += '$';
      }
    } else if (next === '<' && namedGroups) {
      const close = replacement.indexOf('>', i + 2);
      if (close < 0) {
        literal += '$';
      } else {
        flush();
        parts.push({ name: replacement.slice(i + 2, close) });
        i = close;
      }
    } else {
      literal += '$';
    }
  }
  flush();
  return parts;
}

/** How many capturing groups `regex` has, and whether any is named. */
export function groupsOf(regex: RegExp): { count: number; named: boolean } {
  const match = new RegExp(`${regex.source}|`, regex.flags.replace('g', '')).exec('');
  return { count: match ? match.length - 1 : 0, named: match?.groups !== undefined };
}

/** Thrown out of String.replace when the result would exceed the value limit, before it is built. */
export class ValueTooLong extends Error {}

/**
 * A String.replace replacer that expands `parts` and keeps the result within `max` characters (ValueTooLong
 * otherwise), so a pattern matching everywhere cannot build a gigantic string.
 */
export function replacer(parts: ReplacementPart[], inputLength: number, max: number): (...args: unknown[]) => string {
  let length = inputLength;
  return (...args: unknown[]) => {
    const match = args[0] as string;
    const last = args[args.length - 1];
    const named = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : undefined;
    let out = '';
    for (const part of parts) {
      if (typeof part === 'string') out += part;
      else if ('match' in part) out += match;
      else if ('group' in part) out += (args[part.group] as string | undefined) ?? '';
      else out += named?.[part.name] ?? '';
    }
    length += out.length - match.length;
    if (length > max) throw new ValueTooLong();
    return out;
  };
}
