import { useCollection, useCollectionRecordData } from '@nocobase/client';
import { Alert, Button, Space } from 'antd';
import { useCallback, useId, useMemo, useState } from 'react';
import type { RecordMailTarget } from '../../api/records-api';
import { EMAILS_DATA_MARK, useEmailsBlockData } from '../../hooks/useEmailsBlockData';
import { useErrorText } from '../../hooks/useErrorText';
import { usePluginTranslation } from '../../locale';
import {
  columnsOf,
  EMAILS_PAGE_SIZE_DEFAULT,
  onlyOf,
  sourceOf,
  type EmailsBlockProps,
  type EmailsBlockRow,
  type QuickFilter,
} from './emails-block-props';
import { EmailReaderDrawer } from './EmailReaderDrawer';
import { EmailsList } from './EmailsList';
import { EmailsToolbar } from './EmailsToolbar';

/** The record a block sits in (a popup or drawer of a record): its collection and key; null outside any. */
export interface BlockRecord {
  collection: string;
  filterByTk: string | number;
}

/** The record around a classic (v1) block, as NocoBase's record context gives it. */
function useV1Record(): BlockRecord | null {
  const collection = useCollection();
  const record = useCollectionRecordData();
  const key = collection?.filterTargetKey || collection?.getPrimaryKey?.() || 'id';
  const recordKey = record ? (record as Record<string, unknown>)[typeof key === 'string' ? key : 'id'] : undefined;
  const name = collection?.name;
  return useMemo(
    () =>
      name && (typeof recordKey === 'string' || typeof recordKey === 'number')
        ? { collection: name, filterByTk: recordKey }
        : null,
    [name, recordKey],
  );
}

/** What to ask the server for: the record's mail by the block's fields, unless the block lists the user's own. */
function recordTarget(props: EmailsBlockProps, record: BlockRecord | null): RecordMailTarget | null {
  if (!record || sourceOf(props, true) !== 'record') return null;
  return {
    collection: record.collection,
    filterByTk: record.filterByTk,
    addressFields: props.addressFields ?? [],
    domainFields: props.domainFields ?? [],
  };
}

/** The "Emails" block of classic (v1) pages: the record comes from NocoBase's record context. */
export function EmailsBlock(props: EmailsBlockProps) {
  return <EmailsBlockView {...props} record={useV1Record()} />;
}

/**
 * The "Emails" block's body on either kind of page: a record's mail (or the user's own) as a paged list, opened in
 * a drawer. `record`: the record it sits in, from the page's own context.
 */
export function EmailsBlockView({ record, ...props }: EmailsBlockProps & { record: BlockRecord | null }) {
  const { t } = usePluginTranslation();
  const errorText = useErrorText();
  // Derived on each render: the data hook compares targets by value.
  const target = recordTarget(props, record);
  const hasRecord = !!record;
  const [filter, setFilter] = useState<QuickFilter>('all');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const [changes, setChanges] = useState(0);
  const [open, setOpen] = useState<EmailsBlockRow | null>(null);
  const pageSize = props.pageSize ?? EMAILS_PAGE_SIZE_DEFAULT;
  const unbound =
    !!target && props.foundBy !== 'linked' && !target.addressFields?.length && !target.domainFields?.length;
  const dataMark = `${EMAILS_DATA_MARK}:${useId()}`;
  const foundBy = target ? onlyOf(props.foundBy) : undefined;
  const columns = columnsOf(props);
  const data = useEmailsBlockData(target, { filter, foundBy, search, page, pageSize }, String(changes), dataMark);
  const changed = useCallback(() => setChanges((n) => n + 1), []);
  return (
    <div data-testid="emails-block" data-source={target ? 'record' : 'mine'}>
      <EmailsToolbar
        filter={filter}
        onFilter={(f) => {
          setFilter(f);
          setPage(1);
        }}
        onSearch={(s) => {
          setSearch(s);
          setPage(1);
        }}
      />
      {unbound && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 8 }}
          message={t(
            "Choose the record's address or domain fields in the block's settings (Data source); until then only mail linked to this record is listed.",
          )}
        />
      )}
      {!hasRecord && props.source === 'record' && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 8 }}
          message={t('No record here: the block lists your own mail.')}
        />
      )}
      {data.error ? (
        <Alert type="error" showIcon message={t('The mail could not be loaded')} description={errorText(data.error)} />
      ) : (
        // The previous page stays in place, dimmed, while the next one loads.
        <div aria-busy={data.loading} style={{ opacity: data.loading ? 0.5 : 1 }}>
          <EmailsList rows={data.data?.rows ?? []} columns={columns} dataMark={dataMark} onOpen={setOpen} />
        </div>
      )}
      <Space style={{ marginTop: 8, justifyContent: 'flex-end', width: '100%' }}>
        <Button size="small" disabled={page <= 1 || data.loading} onClick={() => setPage((p) => p - 1)}>
          {t('Previous page')}
        </Button>
        <span data-testid="emails-block-page">{page}</span>
        <Button size="small" disabled={!data.data?.hasMore || data.loading} onClick={() => setPage((p) => p + 1)}>
          {t('Next page')}
        </Button>
      </Space>
      <EmailReaderDrawer row={open} target={target} onClose={() => setOpen(null)} onChanged={changed} />
    </div>
  );
}
