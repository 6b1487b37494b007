import type { Locator, Page } from 'playwright-core';
import { waitFor } from './wait-for';

/**
 * Takes a path through NocoBase's hover menus: `open` hovers what opens the menu, `item` is clicked, and the path is
 * done once `done` is on the page. A menu still open from an earlier step can be closing over the target while the
 * pointer crosses it, and a menu hovered while the page still renders may not open: a click then lands on the page
 * behind, or on an entry that vanishes, and changes nothing (each seen in clean-clone CI runs). So the pointer leaves
 * every menu first, and the path is taken again, up to three times, only while `done` is absent: many entries are
 * switches, and a second click would undo the first.
 */
export async function chooseInMenu(page: Page, open: () => Promise<unknown>, item: Locator, done: Locator) {
  const openMenus = page.locator('.ant-popover:visible, .ant-dropdown:visible');
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(0, 0);
    await waitFor(async () => (await openMenus.count()) === 0, { what: 'no menu open', timeoutMs: 10_000 }).catch(
      () => undefined,
    );
    try {
      await open();
      await item.click({ timeout: 10_000 });
      await done.first().waitFor({ timeout: 10_000 });
      return;
    } catch (err) {
      if ((await done.count()) > 0) return;
      if (attempt === 3) throw err;
      console.log(`menu path not done after attempt ${attempt} (${String(item)}): taking it again`);
    }
  }
}
