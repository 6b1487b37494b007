import { useAPIClient } from '@nocobase/client';
import { useRequest } from 'ahooks';
import { recordsApi } from '../api/links-api';
import { linkableCollections, type CollectionMeta, type RoleCheck } from '../mailbox/links/linkable-collections';

/** The collections the user may link mail to, read each time the picker opens (one added since shows up). */
export function useLinkableCollections(open: boolean) {
  const api = useAPIClient();
  return useRequest(
    async () => {
      const [metas, check] = await Promise.all([
        recordsApi.collections<CollectionMeta>(api),
        recordsApi.roleCheck<RoleCheck>(api),
      ]);
      return linkableCollections(metas, check);
    },
    { ready: open, refreshDeps: [open] },
  );
}
