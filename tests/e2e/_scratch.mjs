import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox'] });
for (const js of [true, false]) {
  const context = await browser.newContext({ javaScriptEnabled: js });
  const page = await context.newPage();
  await page.setContent('<html><body><img src="x.png"><p>hi</p></body></html>');
  const r = await new AxeBuilder({ page }).withTags(['wcag2a','wcag2aa']).analyze();
  console.log(js, r.violations.map(v => v.id));
  await context.close();
}
await browser.close();
