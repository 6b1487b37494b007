import { htmlToText } from '../html-to-text';

describe('htmlToText', () => {
  it('keeps paragraphs, line breaks, lists and links', () => {
    const html =
      '<p>Hello&nbsp;Ann,</p><p>see <a href="https://contoso.com/plan">the plan</a><br>and:</p><ul><li>one</li><li>two &amp; three</li></ul><ol><li>first</li><li>second</li></ol><p>Bye</p>';
    expect(htmlToText(html)).toBe(
      'Hello Ann,\n\nsee the plan (https://contoso.com/plan)\nand:\n\n- one\n- two & three\n\n1. first\n2. second\n\nBye',
    );
  });

  it('quotes blockquotes with "> " per level (RFC 3676 §4.5 convention)', () => {
    const html =
      '<p>Yes.</p><p>On Tue, Bob wrote:</p><blockquote type="cite"><p>Shall we?</p><blockquote><p>Idea</p></blockquote></blockquote>';
    expect(htmlToText(html)).toBe('Yes.\n\nOn Tue, Bob wrote:\n> Shall we?\n>> Idea');
  });

  it('drops style and script content, keeps image alt text and non-Latin text', () => {
    expect(htmlToText('<style>p{color:red}</style><p>日本語 <img src="cid:x" alt="logo"> 🙂</p>')).toBe(
      '日本語 [logo] 🙂',
    );
  });

  it('a link whose text is its address is written once', () => {
    expect(htmlToText('<a href="https://contoso.com">https://contoso.com</a>')).toBe('https://contoso.com');
  });
});
