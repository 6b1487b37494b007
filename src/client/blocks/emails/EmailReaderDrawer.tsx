import { Drawer } from 'antd';
import type { RecordMailTarget } from '../../api/records-api';
import { usePluginTranslation } from '../../locale';
import type { EmailsBlockRow } from './emails-block-props';
import { OwnMessageReader } from './OwnMessageReader';
import { SharedMessageReader } from './SharedMessageReader';

interface Props {
  row: EmailsBlockRow | null;
  target: RecordMailTarget | null;
  onClose(): void;
  onChanged(): void;
}

/** A message opened from the block: the full reader for the viewer's own mail, the shared view for a colleague's. */
export function EmailReaderDrawer({ row, target, onClose, onChanged }: Props) {
  const { t } = usePluginTranslation();
  return (
    <Drawer
      open={!!row}
      onClose={onClose}
      width={760}
      title={t('Email')}
      destroyOnClose
      data-testid="emails-block-reader"
    >
      {row &&
        (row.own || !target ? (
          <OwnMessageReader
            row={row}
            record={target ? { collection: target.collection, recordKey: target.filterByTk } : undefined}
            onChanged={onChanged}
            onGone={onClose}
          />
        ) : (
          <SharedMessageReader row={row} target={target} />
        ))}
    </Drawer>
  );
}
