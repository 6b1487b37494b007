import { FolderOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import type { MailFolderView } from '../../shared/mail-reading-types';
import { usePluginTranslation } from '../locale';
import { folderName } from './folder-name';
import { compareFolders } from './folder-tree';

interface Props {
  folders: MailFolderView[];
  currentFolderId?: number | string;
  onMove(folder: MailFolderView): void;
  size?: 'small' | 'middle';
}

/** "Move to" with the account's other folders. */
export function MoveMenu({ folders, currentFolderId, onMove, size }: Props) {
  const { t } = usePluginTranslation();
  const targets = folders.filter((f) => String(f.id) !== String(currentFolderId)).sort(compareFolders);
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: targets.map((f) => ({ key: String(f.id), label: folderName(f, t) })),
        onClick: ({ key }) => {
          const folder = targets.find((f) => String(f.id) === key);
          if (folder) onMove(folder);
        },
      }}
    >
      <Button size={size} icon={<FolderOutlined />}>
        {t('Move to')}
      </Button>
    </Dropdown>
  );
}
