// The citizen's side in a real browser (Debian's headless Chromium, driven by playwright-core) at phone
// size, as WeChat's built-in browser shows it. Two phases, with the handling done over GraphQL in between
// by the Rust test that runs this:
//
//   node browser.mjs submit <base-url> <qr-token> <photo>
//                                                   scans: opens the deputy's card, attaches the phone's
//                                                   location and a photo, submits the form, follows the
//                                                   confirmation's link to the tracking page; prints
//                                                   {"code": "..."}
//   node browser.mjs rate <base-url> <code>         with JavaScript off: types the code into the tracking
//                                                   form, reads the answer, rates it; prints {"state": "..."}
//
// Every page visited is checked with axe-core (WCAG 2 A and AA: labels, contrast, names, language) and for
// reflow at 320 CSS pixels (a phone at 200 % zoom): no horizontal scrolling. Any failure exits 1 with the
// reason.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PHONE = { width: 375, height: 667 };
const WECHAT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
  'Mobile/15E148 MicroMessenger/8.0.50(0x18003237) NetType/WIFI Language/zh_CN';

const [phase, base, arg, photo] = process.argv.slice(2);

function fail(message) {
  throw new Error(message);
}

/** WCAG 2 A/AA violations of the page, and horizontal overflow at 320 px wide. A page opened with
 * JavaScript off is checked as the same address opened in `withScripts` (axe runs in the page). */
async function check(page, what, withScripts) {
  if (withScripts) {
    const twin = await withScripts.newPage();
    await twin.goto(page.url());
    await check(twin, what);
    await twin.close();
    return;
  }
  // The pages allow scripts by nonce only; the context bypasses CSP so that axe can be injected.
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
  );
  const violations = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  if (violations.length) fail(`${what}: accessibility violations: ${violations.join('; ')}`);
  const size = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.setViewportSize(size);
  if (overflow > 0) fail(`${what}: scrolls sideways by ${overflow}px at 320px wide`);
}

/** Where the phone says it is: Beijing railway station (WGS-84), whose GCJ-02 point is surveyed. */
const HERE = { latitude: 39.90105, longitude: 116.42079, accuracy: 12 };

async function context(browser, javaScriptEnabled) {
  return browser.newContext({
    geolocation: HERE,
    permissions: ['geolocation'],
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    userAgent: WECHAT,
    locale: 'zh-CN',
    javaScriptEnabled,
    bypassCSP: true,
  });
}

async function submit(browser, qrToken) {
  const page = await (await context(browser, true)).newPage();
  const card = await page.goto(`${base}/d/${qrToken}`);
  if (card.status() !== 200) fail(`card page: ${card.status()}`);
  await check(page, 'card page');
  await page.getByLabel('类别').selectOption('URBAN_MANAGEMENT');
  await page.getByLabel('反映内容').fill('和平路路灯不亮已经一周，晚上出行不便。');
  await page.getByLabel('地点（选填）').fill('和平路88号');
  await page.getByRole('button', { name: '使用我当前的位置' }).tap();
  const located = page.locator('#located');
  await located.filter({ hasText: '已附上您的位置' }).waitFor({ timeout: 10000 });
  if (photo) await page.getByLabel('照片（选填', { exact: false }).setInputFiles(photo);
  await page.getByLabel('称呼（选填）').fill('孙女士');
  await page.getByLabel('手机号（选填，便于回复您）').fill('13912345678');
  // Personal data without agreeing to the notice is stopped in the page, and nothing is sent.
  await page.getByRole('button', { name: '提交' }).tap();
  const stopped = await page.locator('#result').innerText();
  if (!stopped.includes('个人信息处理告知')) fail(`submitted without consent: ${stopped}`);
  await page.getByText('个人信息处理告知', { exact: true }).tap();
  const notice = await page.locator('#notice').innerText();
  if (!notice.includes('180天')) fail(`notice: ${notice}`);
  await page.getByLabel('我已阅读并同意个人信息处理告知', { exact: false }).check();
  await page.getByRole('button', { name: '提交' }).tap();
  const link = page.locator('#track-link');
  await link.waitFor({ timeout: 10000 });
  const said = await page.locator('#result').innerText();
  if (!said.includes('提交成功')) fail(`confirmation: ${said}`);
  await link.tap();
  await page.waitForURL(/\/t\/[0-9A-Z-]{19}$/);
  const state = await page.locator('#state').innerText();
  if (state !== '已提交，等待受理') fail(`tracking page state: ${state}`);
  const body = await page.content();
  for (const secret of ['13912345678', '孙女士', '和平路88号', '路灯不亮']) {
    if (body.includes(secret)) fail(`the tracking page shows ${secret}`);
  }
  await check(page, 'tracking page');
  const code = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
  return { code };
}

async function rate(browser, code) {
  const page = await (await context(browser, false)).newPage();
  const checker = await context(browser, true);
  await page.goto(`${base}/t`);
  await check(page, 'code form', checker);
  await page.getByLabel('查询码').fill(code.toLowerCase().replaceAll('-', ' '));
  await page.getByRole('button', { name: '查询' }).tap();
  await page.waitForURL(/\/t\/[0-9A-Z-]{19}$/);
  const state = await page.locator('#state').innerText();
  if (state !== '已答复，请您评价') fail(`answered state: ${state}`);
  const feedback = await page.locator('#feedback').innerText();
  if (!feedback.includes('路灯已修复')) fail(`feedback: ${feedback}`);
  await check(page, 'rating form', checker);
  await page.getByRole('button', { name: '提交评价' }).tap();
  // Nothing chosen: the browser's own validation keeps the form here (required radio), nothing is sent.
  if (!page.url().endsWith(code)) fail(`sent without a choice: ${page.url()}`);
  await page.getByLabel('基本满意').check();
  await page.getByLabel('补充说明（选填）').fill('修得很快，谢谢。');
  await page.getByRole('button', { name: '提交评价' }).tap();
  await page.locator('#rating').waitFor({ timeout: 10000 });
  const rating = await page.locator('#rating').innerText();
  if (rating !== '基本满意') fail(`rating shown: ${rating}`);
  const closed = await page.locator('#state').innerText();
  await check(page, 'rated page', checker);
  return { state: closed };
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
try {
  const out = phase === 'submit' ? await submit(browser, arg) : await rate(browser, arg);
  console.log(JSON.stringify(out));
} catch (e) {
  console.error(e.message || e);
  process.exitCode = 1;
} finally {
  await browser.close();
}
