import { PaperClipOutlined } from '@ant-design/icons';
import { Button, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { usePluginTranslation } from '../../locale';
import { fileSize } from '../format';

interface Props {
  files: File[];
  onChange(files: File[]): void;
  /** Total limit in MB, when known. */
  limitMb?: number;
}

/** Files to attach: kept in the browser until sending, listed with their sizes and the total against the limit. */
export function AttachmentPicker({ files, onChange, limitMb }: Props) {
  const { t } = usePluginTranslation();
  const total = files.reduce((sum, f) => sum + f.size, 0);
  const over = limitMb !== undefined && total > limitMb * 1024 * 1024;
  const fileList: UploadFile[] = files.map((f, i) => ({
    uid: String(i),
    name: `${f.name} (${fileSize(f.size)})`,
    status: 'done',
  }));
  return (
    <div>
      <Upload
        multiple
        fileList={fileList}
        beforeUpload={(file) => {
          onChange([...files, file]);
          return false;
        }}
        onRemove={(item) => onChange(files.filter((_f, i) => String(i) !== item.uid))}
      >
        <Button icon={<PaperClipOutlined />}>{t('Attach files')}</Button>
      </Upload>
      {files.length > 0 && (
        <Typography.Text type={over ? 'danger' : 'secondary'} style={{ fontSize: 12 }} data-testid="attachment-total">
          {limitMb !== undefined
            ? t('{{total}} of {{limit}} MB', { total: fileSize(total), limit: limitMb })
            : t('{{total}} attached', { total: fileSize(total) })}
          {over && ` — ${t('Too large to send. Remove files or share them as links.')}`}
        </Typography.Text>
      )}
    </div>
  );
}
