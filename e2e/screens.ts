import { copyFileSync, mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';

export const SCREENS = 'test-results/screens';

/** A full-page screenshot in test-results/screens; with `docs`, also copied to docs/<docs>.png for the README. */
export async function shoot(page: Page, name: string, docs?: string): Promise<void> {
  const path = `${SCREENS}/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  if (docs) {
    mkdirSync('docs', { recursive: true });
    copyFileSync(path, `docs/${docs}.png`);
  }
}
