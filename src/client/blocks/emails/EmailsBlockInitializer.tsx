import { MailOutlined } from '@ant-design/icons';
import { SchemaInitializerItem, useSchemaInitializer, useSchemaInitializerItem } from '@nocobase/client';
import { emailsBlockSchema } from './emails-block-schema';

/** "Add block → Emails": inserts the block with its defaults (the record's mail inside a record, else the user's). */
export function EmailsBlockInitializer() {
  const { insert } = useSchemaInitializer();
  const item = useSchemaInitializerItem();
  return <SchemaInitializerItem {...item} icon={<MailOutlined />} onClick={() => insert(emailsBlockSchema())} />;
}
