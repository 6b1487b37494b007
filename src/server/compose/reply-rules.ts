import type { MailAddress } from '../../shared/mail-reading-types';
import { ComposeMode } from '../../shared/mail-sending';
import { addressKey, uniqueAddresses } from './addresses';
import { cleanHeaderText } from './header-text';
import { forwardSubject, replySubject } from './subject';

/** What the rules need of the message being answered. */
export interface SourceMessage {
  messageId: string | null;
  references: string[];
  subject: string | null;
  from: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress[];
}

export interface ReplyHeaders {
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  inReplyTo: string | null;
  references: string[];
}

/** Longest References list sent; the root and the newest ids are the ones threading needs. */
const MAX_REFERENCES = 40;

function clean(list: MailAddress[]): MailAddress[] {
  return list.filter((a) => a && a.address).map((a) => ({ name: cleanHeaderText(a.name), address: a.address.trim() }));
}

/**
 * RFC 5322 §3.6.4: References = the parent's References (or its In-Reply-To) followed by its Message-ID. A very
 * long chain keeps its first id (the thread root, which thread keys are built from) and the newest ones.
 */
export function replyReferences(source: Pick<SourceMessage, 'messageId' | 'references'>): string[] {
  const chain = [...source.references, ...(source.messageId ? [source.messageId] : [])];
  const unique = chain.filter((id, i) => chain.findIndex((x) => x.toLowerCase() === id.toLowerCase()) === i);
  if (unique.length <= MAX_REFERENCES) return unique;
  return [unique[0], ...unique.slice(unique.length - (MAX_REFERENCES - 1))];
}

/**
 * Recipients and threading headers of a reply, reply-all or forward (RFC 5322 §3.6.3): a reply goes to Reply-To
 * when the original has one, else to From; reply-all adds the original To and Cc. The user's own addresses and
 * duplicates are dropped. Answering one's own message (from Sent) goes to its original recipients, as mail
 * clients do, rather than back to oneself.
 */
export function replyHeaders(mode: ComposeMode, source: SourceMessage, ownAddresses: string[]): ReplyHeaders {
  const own = new Set(ownAddresses.map(addressKey));
  const isOwn = (a: MailAddress) => own.has(addressKey(a.address));
  const threading = { inReplyTo: source.messageId, references: replyReferences(source) };
  if (mode === ComposeMode.forward) {
    // A forward answers nobody (no In-Reply-To) but names its origin in References, so the sender's own copy
    // sits in the original conversation.
    return {
      to: [],
      cc: [],
      subject: forwardSubject(source.subject),
      inReplyTo: null,
      references: threading.references,
    };
  }
  const from = clean(source.from);
  const replyTo = clean(source.replyTo);
  const to = clean(source.to);
  const cc = clean(source.cc);
  const fromSelf = from.length > 0 && from.every(isOwn) && replyTo.length === 0;
  const primary = fromSelf ? to : replyTo.length ? replyTo : from;

  let toList: MailAddress[];
  let ccList: MailAddress[] = [];
  if (mode === ComposeMode.replyAll) {
    toList = uniqueAddresses(fromSelf ? primary : [...primary, ...to], own);
    ccList = uniqueAddresses(cc, [...own, ...toList.map((a) => a.address)]);
  } else {
    toList = uniqueAddresses(primary, fromSelf ? own : []);
  }
  // Only the user was on the original (a note to self): answering goes back to them rather than nowhere.
  if (!toList.length && !ccList.length) toList = uniqueAddresses(primary.length ? primary : from);
  return { to: toList, cc: ccList, subject: replySubject(source.subject), ...threading };
}
