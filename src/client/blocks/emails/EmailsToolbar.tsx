import { Input, Segmented } from 'antd';
import { usePluginTranslation } from '../../locale';
import type { QuickFilter } from './emails-block-props';

interface Props {
  filter: QuickFilter;
  onFilter(filter: QuickFilter): void;
  onSearch(search: string): void;
}

/** Quick filters (all, received, sent, with attachments) and the search box. */
export function EmailsToolbar({ filter, onFilter, onSearch }: Props) {
  const { t } = usePluginTranslation();
  const options = [
    { value: 'all', label: t('All') },
    { value: 'received', label: t('Received') },
    { value: 'sent', label: t('Sent') },
    { value: 'attachments', label: t('With attachments') },
  ];
  return (
    <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', marginBottom: 8 }}>
      <Segmented
        data-testid="emails-block-filter"
        value={filter}
        options={options}
        onChange={(v) => onFilter(v as QuickFilter)}
      />
      <Input.Search
        allowClear
        placeholder={t('Search mail')}
        aria-label={t('Search mail')}
        onSearch={(v) => onSearch(v.trim())}
        style={{ maxWidth: 260 }}
      />
    </div>
  );
}
