import fc from 'fast-check';
import { feedText, fuzzParameters } from './__fixtures__/fuzz.fixture.js';
import { stripHtml } from './html.stripper.js';

const TAG_START = /<[a-zA-Z/!?]/;

const tagName = fc.constantFrom('p', 'b', 'br', 'div', 'li', 'ul', 'script', 'style', 'img', 'td', 'span', 'a', 'svg');
/** HTML-ish markup: well-formed and broken tags, attributes with ">" and quotes, comments, CDATA, escaped markup. */
const html = fc
  .array(
    fc.oneof(
      feedText(12),
      tagName.map((name) => `<${name}>`),
      tagName.map((name) => `</${name}>`),
      fc.tuple(tagName, feedText(8)).map(([name, value]) => `<${name} title="${value}">`),
      tagName.map((name) => `<${name}`),
      feedText(10).map((text) => `<!--${text}-->`),
      feedText(10).map((text) => `<![CDATA[${text}]]>`),
      tagName.map((name) => `&lt;${name}&gt;`),
      tagName.map((name) => `&amp;lt;${name}&amp;gt;`),
      fc.constantFrom('&amp;', '&nbsp;', '&#8211;', '&#x3C;', '&lt;', '&amp;amp;', '&#150;', 'AT&T', '<', '>', '5 > 3'),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

describe('stripHtml (fuzzed)', () => {
  // Found by the no-tag property: markup escaped with numeric references or wrapped in CDATA came out as tags.
  it.each([
    ['<![CDATA[<p>Soft cotton</p>]]>', 'Soft cotton'],
    ['&#x3C;p&#x3E;Soft cotton&#x3C;/p&#x3E;', 'Soft cotton'],
    ['&#60;b&#62;Soft&#60;/b&#62; cotton', 'Soft cotton'],
    ['<![CDATA[<p]]>', 'p'],
    ['&#x3C;<![CDATA[?]]>', ''],
  ])('strips the markup of %j', (input, expected) => {
    expect(stripHtml(input)).toBe(expected);
  });

  it('leaves no tag in CDATA nested deeper than it unwraps', () => {
    const nested = `${'<![CDATA['.repeat(1000)}<p>deep${']]>'.repeat(1000)}`;
    expect(stripHtml(nested)).not.toMatch(TAG_START);
    expect(stripHtml(nested)).toContain('deep');
  });

  it('never throws and never leaves a tag, whether written, escaped or wrapped in CDATA', () => {
    fc.assert(
      fc.property(html, (input) => {
        const text = stripHtml(input);
        expect(text).not.toMatch(TAG_START);
        expect(text).toBe(text.trim());
      }),
      fuzzParameters(2000),
    );
  });

  it('is idempotent on its own output when that output has no entity left to decode', () => {
    fc.assert(
      fc.property(html, (input) => {
        const text = stripHtml(input);
        if (text.includes('&')) return;
        expect(stripHtml(text)).toBe(text);
      }),
      fuzzParameters(2000),
    );
  });
});
