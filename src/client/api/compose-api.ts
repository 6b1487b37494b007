import type { APIClient } from '@nocobase/client';
import type { AxiosProgressEvent } from 'axios';
import { MAIL_MESSAGES_RESOURCE } from '../../shared/mail-reading';
import {
  MAIL_OUTBOX_RESOURCE,
  MailMessagesSendAction,
  MailOutboxAction,
  type ComposeMode,
} from '../../shared/mail-sending';
import type {
  BulkSendInput,
  BulkSendView,
  ComposeInput,
  ComposeTemplate,
  OutboxItemView,
} from '../../shared/mail-sending-types';
import { get, list, post } from './request';

type Id = number | string;

/** Values and files together, as the server reads them: `values` as JSON, the files under `files`. */
function formData(values: ComposeInput, files: File[]): FormData {
  const form = new FormData();
  form.append('values', JSON.stringify(values));
  for (const file of files) form.append('files', file, file.name);
  return form;
}

async function upload(
  api: APIClient,
  url: string,
  values: ComposeInput,
  files: File[],
  onProgress?: (fraction: number) => void,
  params?: Record<string, Id>,
) {
  const res = await api.request<{ data: OutboxItemView }>({
    url,
    method: 'post',
    params,
    data: formData(values, files),
    skipNotify: true,
    onUploadProgress: onProgress ? (e: AxiosProgressEvent) => e.total && onProgress(e.loaded / e.total) : undefined,
  });
  return res.data.data;
}

export const composeApi = {
  prepare: (api: APIClient, sourceMessageId: Id, mode: ComposeMode) =>
    get<ComposeTemplate>(api, `${MAIL_MESSAGES_RESOURCE}:${MailMessagesSendAction.prepare}`, {
      filterByTk: sourceMessageId,
      mode,
    }),
  /** Sent, or kept in the outbox with the reason (`state: failed`) when the mail server refused it. */
  send: (api: APIClient, values: ComposeInput, files: File[], onProgress?: (fraction: number) => void) =>
    upload(api, `${MAIL_MESSAGES_RESOURCE}:${MailMessagesSendAction.send}`, values, files, onProgress),
  saveDraft: (api: APIClient, values: ComposeInput, files: File[], onProgress?: (fraction: number) => void) =>
    upload(api, `${MAIL_MESSAGES_RESOURCE}:${MailMessagesSendAction.saveDraft}`, values, files, onProgress),
  outbox: (api: APIClient, states: string[]) =>
    list<OutboxItemView>(api, `${MAIL_OUTBOX_RESOURCE}:${MailOutboxAction.list}`, {
      state: states.join(','),
      pageSize: 50,
    }),
  /** One message per item, sent in the background at the mailbox's rate. */
  sendBulk: (api: APIClient, values: BulkSendInput) =>
    post<BulkSendView>(api, `${MAIL_MESSAGES_RESOURCE}:${MailMessagesSendAction.sendBulk}`, values),
  /** A bulk send's messages, in the order they were asked for. */
  batch: (api: APIClient, batchId: string) =>
    list<OutboxItemView>(api, `${MAIL_OUTBOX_RESOURCE}:${MailOutboxAction.list}`, { batchId, pageSize: 200 }),
  retry: (api: APIClient, id: Id) =>
    post<OutboxItemView>(api, `${MAIL_OUTBOX_RESOURCE}:${MailOutboxAction.retry}`, undefined, { filterByTk: id }),
  discard: (api: APIClient, id: Id) =>
    post<{ ok: boolean }>(api, `${MAIL_OUTBOX_RESOURCE}:${MailOutboxAction.destroy}`, undefined, { filterByTk: id }),
};
