import type { APIClient } from '@nocobase/client';

/** NocoBase answers `{ data, meta? }`; lists of `{ rows, count }` come back as `{ data: rows, meta: { count } }`. */
interface Envelope<T> {
  data: T;
  meta?: {
    count?: number;
    countCapped?: boolean;
    hasMore?: boolean;
    page?: number;
    pageSize?: number;
    totalPage?: number;
  };
}

export interface Page<T> {
  rows: T[];
  count: number;
  /** The total was counted only up to a cap (a search): more than `count` match. */
  countCapped?: boolean;
  /** Another page follows (also past a capped count), when the server says. */
  hasMore?: boolean;
}

export type Params = Record<string, string | number | boolean | undefined | null | Array<string | number>>;

/**
 * Errors are shown where they happen, in words (see errors.ts), so NocoBase's global error popup is skipped.
 */
export async function get<T>(api: APIClient, action: string, params?: Params): Promise<T> {
  const res = await api.request<Envelope<T>>({ url: action, method: 'get', params, skipNotify: true });
  return res.data.data;
}

export async function post<T>(api: APIClient, action: string, values?: unknown, params?: Params): Promise<T> {
  const res = await api.request<Envelope<T>>({ url: action, method: 'post', data: values, params, skipNotify: true });
  return res.data.data;
}

export async function list<T>(api: APIClient, action: string, params?: Params): Promise<Page<T>> {
  const res = await api.request<Envelope<T[] | Page<T>>>({ url: action, method: 'get', params, skipNotify: true });
  const body = res.data;
  if (Array.isArray(body.data)) {
    const meta = body.meta;
    return {
      rows: body.data,
      count: meta?.count ?? body.data.length,
      countCapped: meta?.countCapped,
      hasMore: meta?.hasMore,
    };
  }
  return { rows: body.data.rows, count: body.data.count };
}

/** A file the API streams (attachments): fetched with the user's session, since the browser cannot add it. */
export async function blob(
  api: APIClient,
  action: string,
  params: Params,
  onProgress?: (loaded: number) => void,
): Promise<Blob> {
  const res = await api.request<Blob>({
    url: action,
    method: 'get',
    params,
    responseType: 'blob',
    skipNotify: true,
    onDownloadProgress: onProgress ? (e) => onProgress(e.loaded) : undefined,
  });
  return res.data;
}
