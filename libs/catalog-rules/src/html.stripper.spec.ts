import { describe, expect, it } from '@jest/globals';

import { decodeHtmlEntities } from './html-entity.decoder.js';
import { stripHtml } from './html.stripper.js';

describe('stripHtml', () => {
  it('turns paragraphs into blank-line separated text', () => {
    expect(stripHtml('<p>First paragraph.</p><p>Second one.</p>')).toBe('First paragraph.\n\nSecond one.');
  });

  it('puts list items and <br> on their own lines', () => {
    expect(stripHtml('<ul><li>Cotton</li><li>Machine wash</li></ul>')).toBe('Cotton\nMachine wash');
    expect(stripHtml('Line one<br>Line two<br/>Line three')).toBe('Line one\nLine two\nLine three');
  });

  it('removes inline tags without splitting words', () => {
    expect(stripHtml('Super<b>soft</b> <span class="x">fleece</span>')).toBe('Supersoft fleece');
  });

  it('separates table cells with spaces', () => {
    expect(stripHtml('<table><tr><td>Size</td><td>M</td></tr></table>')).toBe('Size M');
  });

  it('drops scripts, styles and comments with their content', () => {
    expect(stripHtml('<style>p{color:red}</style>Hello<script>alert("x")</script><!-- note --> world')).toBe(
      'Hello world',
    );
  });

  it('decodes entities, and entities escaped twice', () => {
    expect(stripHtml('Tom &amp; Jerry&nbsp;&ndash; &#8220;quoted&#8221; &amp;lt;')).toBe('Tom & Jerry – “quoted” <');
  });

  it('strips markup that an export escaped as entities', () => {
    expect(stripHtml('&lt;p&gt;Soft cotton&lt;/p&gt;&lt;p&gt;Warm&lt;/p&gt;')).toBe('Soft cotton\n\nWarm');
  });

  it('leaves a lone "<" that is not a tag', () => {
    expect(stripHtml('Weight < 2 kg')).toBe('Weight < 2 kg');
  });

  it('handles the multi-line Shopify export cell shape', () => {
    const html =
      '<p data-end="274" data-start="0"><strong>Where Design Meets Performance<br></strong></p>\n<p data-end="274">In collaboration with Shining and Tange, we’ve developed our own wheelset.</p>';
    expect(stripHtml(html)).toBe(
      'Where Design Meets Performance\n\nIn collaboration with Shining and Tange, we’ve developed our own wheelset.',
    );
  });

  it('returns empty text for markup only', () => {
    expect(stripHtml('<p><br></p><div> </div>')).toBe('');
  });
});

describe('decodeHtmlEntities', () => {
  it('decodes named, decimal and hex references', () => {
    expect(decodeHtmlEntities('&eacute;&#233;&#xE9;&hellip;')).toBe('ééé…');
  });

  it('maps &#150; style references through Windows-1252', () => {
    expect(decodeHtmlEntities('10&#150;20 &#128;')).toBe('10–20 €');
  });

  it('decodes entities escaped twice in full', () => {
    expect(decodeHtmlEntities('Tom&amp;amp;Jerry&amp;nbsp;set &amp;#8211; &amp;eacute;')).toBe(
      'Tom&Jerry\u00A0set – é',
    );
    expect(decodeHtmlEntities('&amp;bogus; &amp; AT&amp;T')).toBe('&bogus; & AT&T');
    expect(stripHtml('&amp;lt;p&amp;gt;Soft&amp;nbsp;cotton&amp;lt;/p&amp;gt;')).toBe('Soft cotton');
  });

  it('leaves unknown names and ampersands without a semicolon alone', () => {
    expect(decodeHtmlEntities('AT&T &bogus; R&D')).toBe('AT&T &bogus; R&D');
  });
});

describe('stripHtml on markup a pattern cannot read', () => {
  it('keeps a ">" inside an attribute inside the tag', () => {
    expect(stripHtml('<p>Ratio <img alt="5 > 3" src="x.png">holds</p>')).toBe('Ratio holds');
    expect(stripHtml('<a title=\'a>b\' href="/x">Link</a> text')).toBe('Link text');
  });

  it('keeps a ">" inside a comment inside the comment', () => {
    expect(stripHtml('Before<!-- a > b -->after')).toBe('Beforeafter');
  });

  it('drops nested content of dropped elements, and text after them stays', () => {
    expect(stripHtml('<svg><g><text>icon</text></g></svg>Visible<script>if (a > b) {}</script> text')).toBe(
      'Visible text',
    );
  });

  it('drops a whole run of "<" before what would start a tag, so a second pass finds nothing to strip', () => {
    // The fuzz test's counterexample: one "<" dropped left "</", which the next pass stripped again.
    const once = stripHtml('<![CDATA[<</]]>');
    expect(once).toBe('/');
    expect(stripHtml(once)).toBe(once);
  });

  it('reads CDATA as text and unclosed tags to the end', () => {
    expect(stripHtml('<p><![CDATA[Raw & ready]]></p><p>Last')).toBe('Raw & ready\n\nLast');
  });

  it('decodes HTML5 named entities beyond a hand-written table', () => {
    expect(stripHtml('&check; &rarr; &Ccaron;esky &frac58;')).toBe('✓ → Česky ⅝');
  });
});
