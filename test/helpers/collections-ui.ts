import type { Page } from 'playwright-core';

export interface UiField {
  /** The entry of "Add field", e.g. "Single line text" or "Email". */
  kind: string;
  name: string;
  title: string;
}

/**
 * Creates a general collection and its fields the way an admin does: Settings → Data sources → Main → "Create
 * collection → General collection", then "Configure fields → Add field" for each field. The page must be signed
 * in as an admin.
 */
export async function createCollectionInUi(
  page: Page,
  baseUrl: string,
  collection: { name: string; title: string; fields: UiField[] },
) {
  await page.goto(`${baseUrl}/admin/settings/data-source-manager/main/collections`);
  const create = page.getByRole('button', { name: 'Create collection' });
  await create.waitFor({ timeout: 60_000 });
  await create.hover();
  await page.locator('.ant-dropdown:visible [role=menuitem]', { hasText: 'General collection' }).click();
  const form = page.locator('.ant-drawer-content:visible', { hasText: 'Create collection' }).last();
  await form
    .locator('.ant-formily-item', { hasText: 'Collection display name' })
    .locator('input')
    .fill(collection.title);
  await form.locator('.ant-formily-item', { hasText: 'Collection name' }).locator('input').fill(collection.name);
  await form.getByRole('button', { name: 'Submit' }).click();
  await form.waitFor({ state: 'hidden' });

  await page
    .getByRole('row', { name: new RegExp(`\\b${collection.name}\\b`) })
    .getByText('Configure fields')
    .click();
  const fields = page.locator('.ant-drawer-content:visible', { hasText: `${collection.title} - Configure fields` });
  await fields.waitFor();
  for (const field of collection.fields) {
    await fields.getByRole('button', { name: 'Add field' }).hover();
    await page.locator('.ant-dropdown:visible [role=menuitem]', { hasText: new RegExp(`^${field.kind}$`) }).click();
    const add = page
      .locator('.ant-modal-content:visible, .ant-drawer-content:visible', {
        hasText: `${collection.title} - Add field`,
      })
      .last();
    await add.locator('.ant-formily-item', { hasText: 'Field display name' }).locator('input').fill(field.title);
    await add.locator('.ant-formily-item', { hasText: 'Field name' }).locator('input').fill(field.name);
    await add.getByRole('button', { name: 'Submit' }).click();
    await add.waitFor({ state: 'hidden' });
    await fields.locator(`tr[data-row-key="${field.name}"]`).waitFor();
  }
  await page.keyboard.press('Escape');
}
