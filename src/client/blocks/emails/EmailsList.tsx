import { Empty } from 'antd';
import { useEffect } from 'react';
import { usePluginTranslation } from '../../locale';
import type { EmailColumn, EmailsBlockRow } from './emails-block-props';
import { EmailRow } from './EmailRow';

/** Measured from the data's arrival to the frame after the rows are committed, per row count (the browser test). */
export const EMAILS_RENDER_MEASURE = 'mailbridge-emails:render';

/** The block's rows; an empty page says so. */
export function EmailsList({
  rows,
  columns,
  dataMark,
  onOpen,
}: {
  rows: EmailsBlockRow[];
  columns: Set<EmailColumn>;
  /** The block's own mark for its data's arrival (see useEmailsBlockData). */
  dataMark: string;
  onOpen(row: EmailsBlockRow): void;
}) {
  const { t } = usePluginTranslation();
  useEffect(() => {
    if (!performance.getEntriesByName(dataMark, 'mark').length) return;
    const frame = requestAnimationFrame(() => {
      performance.measure(`${EMAILS_RENDER_MEASURE}:${rows.length}`, dataMark);
      performance.clearMarks(dataMark);
    });
    return () => cancelAnimationFrame(frame);
  }, [rows, dataMark]);
  if (!rows.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('No email here')} />;
  return (
    <div role="list" data-testid="emails-block-list">
      {rows.map((row) => (
        <EmailRow key={`${row.accountId}:${row.id}`} row={row} columns={columns} onOpen={() => onOpen(row)} />
      ))}
    </div>
  );
}
