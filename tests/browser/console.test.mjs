// The Coze guide's whole story through cozeauth's console pages, in Debian's chromium (headless,
// playwright-core), as its two people walk it: Li Lei, who owns the personal workspace W, and
// Han Meimei, super_admin of the enterprise W moves into. Every page is visited in zh-CN and en,
// screenshotted, and checked with axe-core (no serious or critical violation) and for CSP
// reports (the pages run under a strict policy: a blocked script or style is a failure).
// Run by run_console.sh, which starts the server and passes (in the environment):
//   COZEAUTH_BASE_URL, COZEAUTH_BIN, COZEAUTH_DB   the server and the admin CLI over its store
//   P_ID, P_EMAIL, P_PASSWORD                      the personal user
//   A_ID, A_EMAIL, A_PASSWORD                      the enterprise's super_admin
//   ENTERPRISE_ID, WORKSPACE_ID, WORKSPACE_NAME    the enterprise; W (a team workspace of P's)
//   BOT_ID                                         a bot in W, published to the API
//   ARTIFACTS_DIR, CHROMIUM                        screenshots; the browser binary
// The tests run in order and build on each other (node:test runs a file's tests in sequence).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run this through run_console.sh`);
  return v;
};
const base = env('COZEAUTH_BASE_URL');
const artifacts = env('ARTIFACTS_DIR');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const P = { id: env('P_ID'), email: env('P_EMAIL'), password: env('P_PASSWORD') };
const A = { id: env('A_ID'), email: env('A_EMAIL'), password: env('A_PASSWORD') };
const enterpriseId = env('ENTERPRISE_ID');
const enterpriseName = env('ENTERPRISE_NAME');
const workspaceName = env('WORKSPACE_NAME');

let browser;
const people = {}; // name → { context, page, problems: [] }
const shots = [];

// A person's own browser context (cookies apart), with its CSP reports and page errors collected.
async function person(name, locale) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  people[name] = { context, page, problems };
  return people[name];
}

// Runs axe-core on the page as it is (evaluate is not subject to the page's CSP, which stays on).
async function axeViolations(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

// Checks the page now showing: no CSP report or script error since `from` (but those matching
// `expected`), no serious axe violation; saves a screenshot as <name>-<lang>.png.
async function checkPage(who, name, lang, from = 0, expected = null) {
  const { page } = who;
  const problems = who.problems.slice(from).filter((p) => !expected || !expected.test(p));
  const serious = await axeViolations(page);
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(' ')})`),
    [], `axe on ${name} (${lang}) at ${page.url()}`);
  assert.deepEqual(problems, [], `browser errors on ${name} (${lang})`);
  const file = path.join(artifacts, `${name}-${lang}.png`);
  await page.screenshot({ path: file, fullPage: true });
  shots.push(file);
}

// Opens `route` in both languages (?lang= switches and is remembered), checking and
// screenshotting each; ends on the zh-CN rendering unless `end` says 'en'.
async function visitBoth(who, route, name, end = 'zh') {
  const order = end === 'zh' ? ['en', 'zh'] : ['zh', 'en'];
  for (const lang of order) {
    const from = who.problems.length;
    const sep = route.includes('?') ? '&' : '?';
    const res = await who.page.goto(`${base}${route}${sep}lang=${lang}`);
    assert.equal(res.status(), 200, `${route} (${lang}) answered ${res.status()}`);
    assert.equal(await who.page.getAttribute('html', 'lang'), lang === 'zh' ? 'zh-CN' : 'en');
    await checkPage(who, name, lang, from);
  }
}

async function signIn(who, user) {
  const { page } = who;
  await page.goto(`${base}/`);
  assert.equal(new URL(page.url()).pathname, '/sign', 'the console sends a stranger to sign in');
  await page.fill('#email', user.email);
  await page.fill('#password', user.password);
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.click('#sign-in')]);
}

before(async () => {
  browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  await person('li', 'zh-CN');
  await person('han', 'en-US');
});

after(async () => {
  await browser?.close();
  if (shots.length) console.log(`screenshots:\n${shots.map((s) => `  ${s}`).join('\n')}`);
});

test('the sign-in page speaks the browser\'s language and the console is behind it', async () => {
  const li = people.li;
  await li.page.goto(`${base}/`);
  assert.equal(new URL(li.page.url()).pathname, '/sign');
  assert.equal(await li.page.getAttribute('html', 'lang'), 'zh-CN', 'Accept-Language zh-CN');
  assert.equal(await li.page.locator('#sign-in').innerText(), '登录');
  await checkPage(li, 'sign-in', 'zh');
  const han = people.han;
  await han.page.goto(`${base}/sign`);
  assert.equal(await han.page.getAttribute('html', 'lang'), 'en', 'Accept-Language en-US');
  await han.page.fill('#email', A.email);
  await han.page.fill('#password', 'not-the-password');
  await han.page.click('#sign-in');
  assert.equal(await han.page.locator('#error').innerText(), 'Invalid email or password.');
  // The refused sign-in is answered 401, which the browser reports; nothing else may be.
  await checkPage(han, 'sign-in-refused', 'en', 0, /status of 401/);
});

test('both people sign in and land on the overview with their UID', async () => {
  await signIn(people.li, P);
  await signIn(people.han, A);
  const li = people.li.page;
  assert.equal(await li.locator('#uid').innerText(), P.id, "Li's UID is his personal account id");
  await visitBoth(people.li, '/', 'overview');
  await visitBoth(people.li, '/account', 'account');
  assert.equal(await li.locator('#uid').innerText(), P.id);
  // Han administers the enterprise: it is in her switcher, and its id is in its pages' URL.
  const han = people.han.page;
  await han.goto(`${base}/`);
  await han.locator('#context-switcher summary').click();
  await Promise.all([han.waitForURL((u) => u.pathname === `/enterprise/${enterpriseId}`),
    han.click(`#context-switcher a[data-context="${enterpriseId}"]`)]);
  assert.equal(await han.locator('#enterprise-id').innerText(), enterpriseId);
  await visitBoth(people.han, `/enterprise/${enterpriseId}`, 'enterprise-overview', 'en');
  // Li is not a member yet: the enterprise's pages do not exist for him.
  const res = await li.goto(`${base}/enterprise/${enterpriseId}`);
  assert.equal(res.status(), 404);
});

test('hostile names render as text, never as markup', async () => {
  const han = people.han.page;
  await han.goto(`${base}/?lang=en`);
  await han.locator('#context-switcher summary').click();
  const link = han.locator(`#context-switcher a[data-context="${enterpriseId}"]`);
  const label = await link.innerText();
  assert.ok(label.includes(enterpriseName), `${JSON.stringify(label)} shows ${JSON.stringify(enterpriseName)}`);
  assert.equal(await link.locator('b').count(), 0, 'the <b> in the name is text');
  assert.equal(await han.locator('script').count(), 1, 'console.js is the only script');
});
