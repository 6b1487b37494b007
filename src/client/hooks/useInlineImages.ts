import { useAPIClient } from '@nocobase/client';
import { useEffect, useState } from 'react';
import { messagesApi } from '../api/messages-api';
import { inlinePartOf } from '../mailbox/mail-frame';

function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/**
 * The message's own inline (`cid:`) images as data: URLs. The sandboxed frame has no session to fetch them with,
 * and its policy lets it load only data: images until remote images are allowed.
 */
export function useInlineImages(messageId: number | string | undefined, html: string | null | undefined) {
  const api = useAPIClient();
  const [images, setImages] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    setImages(new Map());
    if (messageId === undefined || !html) return;
    const sources = [...html.matchAll(/<img\b[^>]*\ssrc="([^"]+)"/gi)]
      .map((m) => m[1].replace(/&amp;/g, '&'))
      .filter((src) => inlinePartOf(src));
    if (!sources.length) return;
    let cancelled = false;
    (async () => {
      const found = new Map<string, string>();
      for (const src of new Set(sources)) {
        try {
          found.set(
            src,
            await readAsDataUrl(await messagesApi.attachment(api, messageId, inlinePartOf(src) as string, true)),
          );
        } catch {
          // A missing inline image stays a broken image; the message itself is still readable.
        }
      }
      if (!cancelled) setImages(found);
    })();
    return () => {
      cancelled = true;
    };
  }, [api, messageId, html]);
  return images;
}
