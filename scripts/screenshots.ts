// Screenshots of the running app for docs/ (README): light and dark home page.
// Usage: node --import tsx scripts/screenshots.ts [baseUrl] [outDir]   (a Topolog server must be running)
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const out = process.argv[3] ?? 'docs';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  for (const theme of ['light', 'dark'] as const) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 720 } });
    await page.addInitScript((t) => localStorage.setItem('topolog-theme', t), theme);
    await page.goto(base);
    await page.getByTestId('group-row').first().waitFor();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `${out}/home-${theme}.png` });
    await page.close();
  }
  console.log(`screenshots written to ${out}/`);
} finally {
  await browser.close();
}
