import { SchemaSettings, useCollection, useCollectionManager, useDesignable } from '@nocobase/client';
import { usePluginTranslation } from '../../locale';
import {
  addressFieldCandidates,
  associationPathCandidates,
  columnsOf,
  EMAILS_PAGE_SIZE_DEFAULT,
  EMAILS_PAGE_SIZES,
  type EmailsBlockProps,
} from './emails-block-props';
import { EMAILS_BLOCK_SETTINGS } from './emails-block-schema';
import { columnsSchema, fieldSelectSchema, foundBySchema, sourceSchema } from './settings-schema';

/** Saves the block's props in its schema, for this view and on the server. */
function useSaveProps() {
  const { dn, patch } = useDesignable();
  return (values: EmailsBlockProps) => {
    patch({ 'x-component-props': values });
    return dn.emit('patch', {
      schema: { 'x-uid': dn.current['x-uid'], 'x-component-props': { ...(dn.current['x-component-props'] ?? {}) } },
    });
  };
}

function useCurrentProps(): EmailsBlockProps {
  const { dn } = useDesignable();
  return (dn.current['x-component-props'] ?? {}) as EmailsBlockProps;
}

/**
 * The block's settings menu: where its mail comes from, the page size, delete. Made when the plugin loads, not when
 * the bundle is read: `SchemaSettings` is the host's, which a bundle evaluated on its own (the package test) lacks.
 */
export const emailsBlockSettings = () =>
  new SchemaSettings({
    name: EMAILS_BLOCK_SETTINGS,
    items: [
      {
        name: 'dataSource',
        type: 'modal',
        useComponentProps() {
          const { t } = usePluginTranslation();
          const collection = useCollection();
          const current = useCurrentProps();
          const save = useSaveProps();
          const cm = useCollectionManager();
          const own = collection?.getFields() ?? [];
          const fields = [
            ...addressFieldCandidates(own),
            ...associationPathCandidates(own, (name) => cm.getCollection(name)?.getFields()),
          ];
          const options = fields.map((f) => ({ label: `${f.uiSchema?.title ?? f.name} (${f.name})`, value: f.name }));
          const hiddenForMine = { dependencies: ['source'], fulfill: { state: { hidden: '{{$deps[0] === "mine"}}' } } };
          const fieldSelect = (title: string) => ({
            ...fieldSelectSchema(title, options, t),
            'x-reactions': hiddenForMine,
          });
          return {
            title: t('Data source'),
            initialValues: {
              source: current.source ?? (collection ? 'record' : 'mine'),
              foundBy: current.foundBy ?? 'both',
              addressFields: current.addressFields ?? [],
              domainFields: current.domainFields ?? [],
            },
            schema: {
              type: 'object',
              title: t('Data source'),
              properties: {
                source: sourceSchema(!!collection, t),
                foundBy: { ...foundBySchema(t), 'x-reactions': hiddenForMine },
                addressFields: fieldSelect(t('Address fields')),
                domainFields: fieldSelect(t('Domain fields')),
              },
            },
            onSubmit: (values: EmailsBlockProps) =>
              save({
                source: values.source,
                foundBy: values.foundBy ?? 'both',
                addressFields: values.addressFields ?? [],
                domainFields: values.domainFields ?? [],
              }),
          };
        },
      },
      {
        name: 'columns',
        type: 'modal',
        useComponentProps() {
          const { t } = usePluginTranslation();
          const current = useCurrentProps();
          const save = useSaveProps();
          return {
            title: t('Columns'),
            initialValues: { columns: [...columnsOf(current)] },
            schema: {
              type: 'object',
              title: t('Columns'),
              properties: {
                columns: columnsSchema(t('Shown beside the subject'), t),
              },
            },
            onSubmit: (values: { columns?: string[] }) => save({ columns: values.columns ?? [] }),
          };
        },
      },
      {
        name: 'pageSize',
        type: 'select',
        useComponentProps() {
          const { t } = usePluginTranslation();
          const current = useCurrentProps();
          const save = useSaveProps();
          return {
            title: t('Page size'),
            value: current.pageSize ?? EMAILS_PAGE_SIZE_DEFAULT,
            options: EMAILS_PAGE_SIZES.map((n) => ({ label: String(n), value: n })),
            onChange: (pageSize: number) => save({ pageSize }),
          };
        },
      },
      { name: 'divider', type: 'divider' },
      {
        name: 'delete',
        type: 'remove',
        useComponentProps() {
          return { removeParentsIfNoChildren: true, breakRemoveOn: { 'x-component': 'Grid' } };
        },
      },
    ],
  });
