import { useAPIClient } from '@nocobase/client';
import { useDebounceFn } from 'ahooks';
import { Select, Spin } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { recordsApi } from '../../api/links-api';
import { useErrorText } from '../../hooks/useErrorText';
import { usePluginTranslation } from '../../locale';
import type { LinkableCollection } from './linkable-collections';
import { canMatch, hasNextPage, recordListParams, recordOption, type RecordOption } from './record-options';

interface Props {
  collection: LinkableCollection;
  value?: string;
  onChange(value: string | undefined): void;
}

/**
 * A record of one collection, searched by its title field as the user types and paged as they scroll, so a
 * collection of any size is never read whole.
 */
export function RecordSelect({ collection, value, onChange }: Props) {
  const { t } = usePluginTranslation();
  const api = useAPIClient();
  const errorText = useErrorText();
  const [options, setOptions] = useState<RecordOption[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const state = useRef({ search: '', page: 0, more: false, request: 0 });

  const load = useCallback(
    async (search: string, page: number) => {
      const request = ++state.current.request;
      state.current = { ...state.current, search, page, more: false };
      if (!canMatch(collection, search)) {
        setOptions([]);
        return;
      }
      setLoading(true);
      try {
        const result = await recordsApi.records(api, collection.name, recordListParams(collection, search, page));
        // A later search or collection replaced this one while it was on its way.
        if (request !== state.current.request) return;
        const found = result.rows.map((row) => recordOption(collection, row)).filter((o): o is RecordOption => !!o);
        setOptions((prev) => (page === 1 ? found : [...prev, ...found]));
        state.current.more = hasNextPage(page, result.count);
        setError(null);
      } catch (err) {
        if (request === state.current.request) setError(errorText(err));
      } finally {
        if (request === state.current.request) setLoading(false);
      }
    },
    [api, collection, errorText],
  );

  useEffect(() => {
    setOptions([]);
    void load('', 1);
  }, [load]);
  const search = useDebounceFn((text: string) => void load(text, 1), { wait: 300 });

  return (
    <Select<string>
      showSearch
      allowClear
      aria-label={t('Record')}
      data-testid="link-record-select"
      style={{ width: '100%' }}
      placeholder={t('Search records')}
      filterOption={false}
      value={value}
      options={options}
      onChange={(v) => onChange(v ?? undefined)}
      onSearch={search.run}
      onPopupScroll={(e) => {
        const el = e.currentTarget as HTMLElement;
        const { more, page, search: text } = state.current;
        if (more && !loading && el.scrollTop + el.clientHeight >= el.scrollHeight - 24) void load(text, page + 1);
      }}
      notFoundContent={loading ? <Spin size="small" /> : (error ?? t('No records found'))}
      status={error ? 'error' : undefined}
    />
  );
}
