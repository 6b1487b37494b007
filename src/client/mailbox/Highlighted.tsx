import type { TextRange } from '../../shared/mail-reading-types';
import { highlightSegments } from './highlight-segments';

/** Text with the search's matches marked; React escapes every piece, so nothing in a message becomes markup. */
export function Highlighted({ text, ranges }: { text: string; ranges?: TextRange[] }) {
  if (!ranges?.length) return <>{text}</>;
  return (
    <>
      {highlightSegments(text, ranges).map((piece, i) =>
        piece.match ? (
          <mark key={i} style={{ padding: 0, background: '#fff1b8', color: 'inherit' }}>
            {piece.text}
          </mark>
        ) : (
          <span key={i}>{piece.text}</span>
        ),
      )}
    </>
  );
}
