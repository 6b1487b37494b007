import { useAPIClient } from '@nocobase/client';
import { useCallback } from 'react';
import { messagesApi } from '../api/messages-api';

/** Hands a file fetched with the user's session to the browser as a download. */
export function saveBlob(file: Blob, filename: string) {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Saves an attachment: fetched with the user's session (a plain link could not send it), then handed to the browser. */
export function useDownloadAttachment() {
  const api = useAPIClient();
  return useCallback(
    async (messageId: number | string, part: string, filename: string) => {
      saveBlob(await messagesApi.attachment(api, messageId, part), filename);
    },
    [api],
  );
}
