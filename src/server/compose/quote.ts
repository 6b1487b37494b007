import type { MailAddress } from '../../shared/mail-reading-types';
import { ComposeMode } from '../../shared/mail-sending';
import { cleanHeaderText } from './header-text';
import { escapeHtml } from './outgoing-html';

/** The original as the quote shows it. `html` is the reading side's sanitised display HTML. */
export interface QuotedMessage {
  from: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  subject: string | null;
  /** The Date header, else when it arrived. */
  date: Date | null;
  html: string | null;
  text: string | null;
}

function person(a: MailAddress): string {
  const name = cleanHeaderText(a.name);
  return name && name !== a.address ? `${name} <${a.address}>` : a.address;
}

function people(list: MailAddress[]): string {
  return escapeHtml(list.map(person).join(', '));
}

/** A date every reader can read regardless of the server's locale: `Tue, 18 Nov 2025 09:30:00 GMT`. */
function when(date: Date | null): string {
  return date && !Number.isNaN(date.getTime()) ? date.toUTCString() : 'an unknown date';
}

function body(m: QuotedMessage): string {
  if (m.html && m.html.trim()) return m.html;
  const text = escapeHtml(m.text ?? '');
  return `<div style="white-space:pre-wrap">${text}</div>`;
}

/**
 * The block appended below the user's text: for a reply an attribution line and the original in a
 * `<blockquote type="cite">` (the markup Thunderbird and Apple Mail use, which clients collapse and style as a
 * quote); for a forward the original's headers and body, as Gmail and Outlook lay it out.
 */
export function quoteBlock(mode: ComposeMode, m: QuotedMessage): string {
  const sender = m.from[0] ? person(m.from[0]) : 'Unknown sender';
  if (mode === ComposeMode.forward) {
    const rows = [
      `From: ${people(m.from)}`,
      `Date: ${escapeHtml(when(m.date))}`,
      `Subject: ${escapeHtml(cleanHeaderText(m.subject))}`,
      `To: ${people(m.to)}`,
      ...(m.cc.length ? [`Cc: ${people(m.cc)}`] : []),
    ];
    return `<div class="mailbridge-forward"><p>---------- Forwarded message ----------<br>${rows.join('<br>')}</p>${body(m)}</div>`;
  }
  return (
    `<div class="mailbridge-quote"><p>On ${escapeHtml(when(m.date))}, ${escapeHtml(sender)} wrote:</p>` +
    `<blockquote type="cite" style="margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex">${body(m)}</blockquote></div>`
  );
}
