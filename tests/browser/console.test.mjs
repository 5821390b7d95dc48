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
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CozeAPI } from '@coze/api';
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
const botId = env('BOT_ID');
const dbFile = env('COZEAUTH_DB').replace(/^sqlite:/, '');

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
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
  });
  people[name] = { context, page, problems, seen: 0 };
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

// Checks the page now showing: no CSP report, script error or failed request since the last
// check (but those matching `expected`), no serious axe violation; saves a screenshot as
// <name>-<lang>.png.
async function checkPage(who, name, lang, expected = null) {
  const { page } = who;
  const problems = who.problems.slice(who.seen).filter((p) => !expected || !expected.test(p));
  who.seen = who.problems.length;
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
    who.seen = who.problems.length;
    const sep = route.includes('?') ? '&' : '?';
    const res = await who.page.goto(`${base}${route}${sep}lang=${lang}`);
    assert.equal(res.status(), 200, `${route} (${lang}) answered ${res.status()}`);
    assert.equal(await who.page.getAttribute('html', 'lang'), lang === 'zh' ? 'zh-CN' : 'en');
    await checkPage(who, name, lang);
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
  await checkPage(han, 'sign-in-refused', 'en', /status of 401|HTTP 401 for POST/);
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
  await li.waitForLoadState('load');
  people.li.seen = people.li.problems.length;  // that 404 was the point
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

// What the story creates, for the later steps.
const story = {};
const hostile = '<script>alert(1)</script>"\'\u202E';
const ent = `/enterprise/${enterpriseId}`;

// Creates a PAT on a token form already open in `page`; returns { id, token }.
async function createPat(page, name) {
  await page.fill('#token-name', name);
  await Promise.all([page.waitForURL((u) => u.pathname.endsWith('/new')), page.click('#token-submit')]);
  const token = await page.locator('#new-token').innerText();
  assert.match(token, /^pat_/);
  await page.locator('#shown-once').waitFor();
  return token;
}

// The id of the token named `name` in the table at `listPath`.
async function tokenId(page, listPath, name) {
  await page.goto(`${base}${listPath}`);
  const row = page.locator('#tokens tr', { hasText: name }).first();
  return (await row.getAttribute('id')).replace(/^token-/, '');
}

test('Li creates a personal PAT for all workspaces and a JWT app with a generated key', async () => {
  const li = people.li;
  const { page } = li;
  await visitBoth(li, '/open/oauth/pats/new', 'pat-new');
  await page.check('input[name=workspace_permission][value=getMetadata]');
  await page.check('#ws-all');
  story.oldName = 'Li old PAT';
  story.oldToken = await createPat(page, story.oldName);
  await checkPage(li, 'pat-created', 'zh');
  story.oldId = await tokenId(page, '/open/oauth/pats', story.oldName);
  // A hostile name is shown as text in the table.
  await page.goto(`${base}/open/oauth/pats/new`);
  await page.check('input[name=workspace_permission][value=getMetadata]');
  await createPat(page, hostile);
  await visitBoth(li, '/open/oauth/pats', 'pats');
  assert.ok((await page.locator('#tokens').innerText()).includes(hostile));
  assert.equal(await page.locator('script').count(), 1, 'console.js is the only script');

  // 服务类应用 (JWT): create, generate a key pair (the private key shown once), the share link.
  await visitBoth(li, '/open/oauth/apps', 'apps');
  await page.check('#type-service');
  await page.fill('#app-name', 'Li JWT app');
  await page.check('form:has(#create-submit) input[name=account_permission][value=createConversation]');
  await page.check('form:has(#create-submit) input[name=workspace_permission][value=getMetadata]');
  await Promise.all([page.waitForURL((u) => /\/open\/oauth\/apps\/[^/]+$/.test(u.pathname)),
    page.click('#create-submit')]);
  story.appId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
  await checkPage(li, 'app', 'zh');
  await page.click('#generate-key-submit');
  assert.match(await page.locator('#private-key').innerText(), /BEGIN PRIVATE KEY/);
  await checkPage(li, 'app-key-generated', 'zh');
  await page.goto(`${base}/open/oauth/apps`);
  story.shareUrl = await page.locator(`#share-${story.appId}`).getAttribute('href');
  assert.ok(story.shareUrl.includes(`appid=${encodeURIComponent(story.appId)}`), story.shareUrl);
});

test('Han makes Li an admin and authorizes the app from its share link for the enterprise', async () => {
  const han = people.han;
  const { page } = han;
  await visitBoth(han, `${ent}/members`, 'members', 'en');
  const key = `enterprise-${enterpriseId}`.replace(/[^A-Za-z0-9_-]/g, '-');
  await page.fill(`#add-user-${key}`, P.email);
  await page.selectOption(`#add-role-${key}`, 'admin');
  await page.click(`#add-submit-${key}`);
  await page.locator('#notice').waitFor();
  assert.ok((await page.locator('main').innerText()).includes(P.email));

  // The share link (as the guide: enterprise, all workspaces), then 应用安装管理.
  await page.goto(new URL(story.shareUrl, base).toString());
  await page.check(`input[name=place][value="${enterpriseId}"]`);
  await page.check('input[name=scope][value=all]');
  await checkPage(han, 'share', 'en');
  await page.click('#authorize');
  await page.locator('#result').waitFor();
  await visitBoth(han, `${ent}/open/oauth/installations`, 'installations', 'en');
  assert.ok((await page.locator('main').innerText()).includes('Li JWT app'));
});

test("Li reads the checklist and creates the missing enterprise PAT from its link", async () => {
  const li = people.li;
  const { page } = li;
  // Now an admin, Li sees the enterprise in his switcher and can pick its organization.
  await visitBoth(li, '/migrate', 'migrate');
  await page.selectOption('#workspace_id', env('WORKSPACE_ID'));
  await page.click('#show-checklist');
  await page.locator('#checklist').waitFor();
  const checklist = await page.locator('#checklist').innerText();
  assert.ok(checklist.includes(story.oldName), checklist);
  assert.ok(checklist.includes(workspaceName) || (await page.locator('main').innerText()).includes(workspaceName),
    'the workspace name, with its <, > and quotes, is text');
  await checkPage(li, 'migrate-checklist', 'zh');
  const link = page.locator(`a[data-create-pat="${story.oldId}"]`);
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith(`${ent}/open/oauth/pats`)), link.click()]);
  assert.ok(await page.isChecked('input[name=workspace_permission][value=getMetadata]'),
    'the old PAT\'s point is pre-filled');
  assert.ok(await page.isChecked('#ws-all'), 'for all workspaces');
  await checkPage(li, 'enterprise-pat-prefilled', 'zh');
  await page.check('input[name=account_permission][value=createConversation]');
  story.newName = await page.inputValue('#token-name');
  story.newToken = await createPat(page, story.newName);
  story.newId = await tokenId(page, `${ent}/open/oauth/pats`, story.newName);
  await visitBoth(li, `${ent}/open/oauth/pats`, 'enterprise-pats');
});

// The guide's client: the old credential first, the new one when the old is refused.
async function callWithFallback() {
  let last;
  for (const token of [story.oldToken, story.newToken]) {
    try {
      await new CozeAPI({ token, baseURL: base }).bots.retrieve({ bot_id: botId });
      return token;
    } catch (e) {
      if (![4100, 4101, 4200, 4006].includes(e.code)) throw e;
      last = e;
    }
  }
  throw last;
}

function sql(statement) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', dbFile, statement], { encoding: 'utf8' }).trim();
}

// Waits until the server has written `n` requests of token `id` to the store (it flushes its
// counts every second): the event the observation pages read, not a fixed delay.
async function flushedRequests(id, n) {
  for (let i = 0; i < 200; i++) {
    const got = Number(sql(`SELECT COALESCE(SUM(count), 0) FROM request_stats WHERE token_id = '${id}'`));
    if (got >= n) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`the server did not record ${n} requests of ${id}`);
}

test('before the move, the client is served with the old PAT', async () => {
  for (let i = 0; i < 5; i++) assert.equal(await callWithFallback(), story.oldToken);
  await flushedRequests(story.oldId, 5);
  // Counts are per minute and the migration's minute is "after": as if sent ten minutes ago.
  sql('UPDATE request_stats SET minute = minute - 10');
});

test('Li moves W into the enterprise in cut mode, confirming by its name', async () => {
  const li = people.li;
  const { page } = li;
  await page.goto(`${base}/migrate`);
  await page.selectOption('#workspace_id', env('WORKSPACE_ID'));
  await page.click('#show-checklist');
  await page.locator('#checklist').waitFor();
  assert.ok((await page.locator('#checklist').innerText()).includes(story.newName),
    'the new enterprise PAT is on the checklist now');
  assert.ok(await page.locator('#run-migration').isDisabled(), 'confirming needs the name');
  await page.check('#mode-cut');
  await page.fill('#confirm_name', workspaceName);
  await Promise.all([page.waitForURL((u) => u.pathname === `${ent}/observe`), page.click('#run-migration')]);
});

test('after the move the client falls back to the new PAT, and 线上观测 shows both', async () => {
  for (let i = 0; i < 5; i++) assert.equal(await callWithFallback(), story.newToken);
  await flushedRequests(story.newId, 5);
  await flushedRequests(story.oldId, 10);
  const li = people.li;
  await li.page.reload();
  await visitBoth(li, new URL(li.page.url()).pathname + new URL(li.page.url()).search, 'observe');
  const row = (id) => li.page.locator(`tr[data-credential-id="${id}"]`).first();
  const old = row(story.oldId);
  assert.equal(await old.getAttribute('data-before-successes'), '5');
  assert.equal(await old.getAttribute('data-after-requests'), '5');
  assert.equal(await old.getAttribute('data-after-successes'), '0', 'the old PAT is denied after');
  const fresh = row(story.newId);
  assert.equal(await fresh.getAttribute('data-after-successes'), '5', 'the new PAT serves after');
  assert.ok(await li.page.locator('svg').count() > 0, 'the chart');
  await visitBoth(li, `${ent}/audit`, 'audit');
});

test('Li opens the personal account resources to the enterprise PAT', async () => {
  const li = people.li;
  const { page } = li;
  await visitBoth(li, `${ent}/personal-resources`, 'personal-resources');
  const row = page.locator('tr[id^="candidate-"]', { hasText: story.newName });
  await row.locator('button[id^="authorize-"]').click();
  await page.locator('tr[id^="candidate-"]', { hasText: story.newName })
    .locator('button[id^="revoke-"]').waitFor();
  await checkPage(li, 'personal-resources-granted', 'zh');
});

test('every other page renders cleanly in both languages', async () => {
  await visitBoth(people.han, `${ent}/open/oauth/service-identities`, 'service-identities', 'en');
  await visitBoth(people.han, `${ent}/open/oauth/service-identities/new`, 'service-identity-new', 'en');
  await visitBoth(people.han, `${ent}/open/oauth/apps`, 'enterprise-apps', 'en');
  await visitBoth(people.li, `/open/oauth/apps/${encodeURIComponent(story.appId)}`, 'app-page');
});
