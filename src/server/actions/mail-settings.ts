import type { Context, Next } from '@nocobase/actions';
import { MAIL_SETTINGS_RESOURCE, MailSettingsAction } from '../../shared/constants';
import type { SettingsService } from '../settings/settings-service';
import { actionValues, requestOrigin } from './mail-errors';

/** `mailSettings:get|update|test`, admin-only through the settings ACL snippet. */
export function mailSettingsActions(settings: SettingsService) {
  return {
    async get(ctx: Context, next: Next) {
      ctx.body = settings.toView(await settings.load(), requestOrigin(ctx));
      await next();
    },
    async update(ctx: Context, next: Next) {
      ctx.body = await settings.update(actionValues(ctx), requestOrigin(ctx));
      await next();
    },
    async test(ctx: Context, next: Next) {
      ctx.body = await settings.test(actionValues(ctx), requestOrigin(ctx));
      await next();
    },
  };
}

/**
 * The settings are one row, so `update` names no record. NocoBase refuses any `update` without a filter
 * (its validate-filter-params guard) unless `forceUpdate` is set; this runs before that guard for our resource only.
 */
export async function singletonUpdate(
  ctx: { action?: { resourceName?: string; actionName?: string; params: Record<string, unknown> } },
  next: () => Promise<unknown>,
) {
  if (ctx.action?.resourceName === MAIL_SETTINGS_RESOURCE && ctx.action.actionName === MailSettingsAction.update) {
    ctx.action.params.forceUpdate = true;
  }
  await next();
}
