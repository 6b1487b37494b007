/**
 * A same-page signal that mail changed (read, moved, sent, synced): the mailbox page raises it, the top-bar badge
 * listens, so the badge follows what the user just did without waiting for its next poll.
 */
const EVENT = 'mailbridge:mail-changed';

export function announceMailChange() {
  window.dispatchEvent(new Event(EVENT));
}

export function onMailChange(listener: () => void): () => void {
  window.addEventListener(EVENT, listener);
  return () => window.removeEventListener(EVENT, listener);
}
