// A person's OAuth journeys through cozeauth's own pages, in Debian's chromium (headless), driven
// by playwright-core: the PKCE authorization-code flow (sign in, consent, Allow, code exchange),
// Deny, an unregistered redirect URI, and the device flow (code entry, consent, result).
// Run by run_browser.sh, which starts the server and passes (in the environment):
//   COZEAUTH_BASE_URL, COZEAUTH_BIN, COZEAUTH_DB  the server and the admin CLI over its store
//   USER_ID, ACCOUNT_ID, USER_EMAIL, USER_PASSWORD the user who signs in (owns the apps)
//   WORKSPACE_ID, WORKSPACE_NAME                   a team workspace of that user (not used yet)
//   ARTIFACTS_DIR, CHROMIUM                        where screenshots go; the browser binary
// The apps are created here with `cozeauth admin app create`, once the callback server (the
// "third-party app" that receives the code, on another port) has its address.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run this through run_browser.sh`);
  return v;
};
const base = env('COZEAUTH_BASE_URL');
const bin = env('COZEAUTH_BIN');
const db = env('COZEAUTH_DB');
const accountId = env('ACCOUNT_ID');
const userEmail = env('USER_EMAIL');
const userPassword = env('USER_PASSWORD');
const artifacts = env('ARTIFACTS_DIR');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

const AUTHORIZE = '/api/permission/oauth2/authorize';
const TOKEN = '/api/permission/oauth2/token';
const DEVICE_CODE = '/api/permission/oauth2/device/code';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const POINTS = { account: ['createConversation'], workspace: ['chat', 'listBot'] };

function admin(...args) {
  const out = execFileSync(bin, ['admin', ...args, '--db', db, '--json'], { encoding: 'utf8' });
  return JSON.parse(out);
}

function createApp(name, clientType, redirectUris = []) {
  return admin('app', 'create', '--owner-account', accountId, '--name', name,
    '--client-type', clientType, ...redirectUris.flatMap((u) => ['--redirect-uri', u]),
    '--account-permissions', POINTS.account.join(','),
    '--workspace-permissions', POINTS.workspace.join(','));
}

async function postJson(route, body) {
  const res = await fetch(base + route, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text };
}

async function usersMe(token) {
  const res = await fetch(base + '/v1/users/me', { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, json: await res.json() };
}

const b64url = (buf) => buf.toString('base64url');
function pkcePair() {
  const verifier = b64url(randomBytes(48));
  return { verifier, challenge: b64url(createHash('sha256').update(verifier).digest()) };
}

function authorizeUrl({ clientId, redirectUri, state, challenge }) {
  const q = new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: redirectUri, state,
    code_challenge: challenge, code_challenge_method: 'S256',
  });
  return `${base}${AUTHORIZE}?${q}`;
}

const shots = [];
async function shot(page, name) {
  const file = path.join(artifacts, name);
  await page.screenshot({ path: file, fullPage: true });
  shots.push(file);
  console.log(`screenshot: ${file}`);
}

// The third-party app's redirect endpoint: records every request and shows a small page.
const callbackHits = [];
const callbackServer = http.createServer((req, res) => {
  callbackHits.push(req.url);
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end('<!doctype html><title>Callback</title><h1 id="callback">Callback received</h1>');
});

const consoleLines = []; // the browser's console, shown when a navigation does not happen
let browser;
let context;
let page;
let callbackOrigin;
let pkceApp;
let deviceApp;

before(async () => {
  await new Promise((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  callbackOrigin = `http://127.0.0.1:${callbackServer.address().port}`;
  pkceApp = createApp('Browser PKCE app', 'pkce', [`${callbackOrigin}/callback`]);
  deviceApp = createApp('Browser device app', 'device');
  browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => callbackServer.close(resolve));
  if (shots.length) console.log(`screenshots:\n${shots.map((s) => `  ${s}`).join('\n')}`);
});

// Waits for the browser to reach the callback server and returns the query it got.
async function landedOnCallback(failShot) {
  const seen = consoleLines.length;
  try {
    await page.waitForURL((u) => u.origin === callbackOrigin, { timeout: 10000 });
  } catch (e) {
    await shot(page, failShot);
    assert.fail(`the browser did not reach the redirect URI ${callbackOrigin}/callback; it is at ` +
      `${page.url()}; browser console:\n${consoleLines.slice(seen).join('\n') || '(empty)'}`);
  }
  const url = new URL(page.url());
  assert.equal(url.pathname, '/callback');
  await page.locator('#callback').waitFor();
  return url.searchParams;
}

async function assertConsentPage(appName) {
  await page.locator('#app-name').waitFor();
  assert.match(await page.locator('#app-name').innerText(), new RegExp(`^${appName}\\b`));
  const table = await page.locator('#permissions').innerText();
  for (const p of [...POINTS.account, ...POINTS.workspace]) {
    assert.ok(table.includes(p), `the permissions table lists ${p}:\n${table}`);
  }
  const places = page.locator('input[type=radio][name=place]');
  const values = await places.evaluateAll((els) => els.map((e) => e.value));
  assert.ok(values.includes('personal'), `a "personal" place is offered: ${values}`);
  assert.equal(await page.locator('input[name=place]:checked').count(), 1, 'one place is preselected');
  const labels = await page.locator('fieldset').innerText();
  assert.ok(labels.includes('Personal account'), `places: ${labels}`);
  await page.locator('#allow').waitFor();
  await page.locator('#deny').waitFor();
}

const pkce = pkcePair();
const redirectUri = () => `${callbackOrigin}/callback`;

test('an authorize request without a session shows the sign-in page', async () => {
  const url = authorizeUrl({ clientId: pkceApp.client_id, redirectUri: redirectUri(), state: 's1',
    challenge: pkce.challenge });
  await page.goto(url);
  const at = new URL(page.url());
  assert.equal(at.origin, base);
  assert.equal(at.pathname, '/sign');
  assert.ok(at.searchParams.get('redirect')?.startsWith(AUTHORIZE), `redirect= ${at}`);
  assert.equal(await page.title(), 'Sign in · cozeauth');
  for (const sel of ['#email', '#password', '#sign-in']) await page.locator(sel).waitFor();
  await shot(page, '01-login.png');

  // A wrong password keeps the user on the form with an error.
  await page.fill('#email', userEmail);
  await page.fill('#password', 'not-the-password');
  await Promise.all([page.waitForLoadState('load'), page.click('#sign-in')]);
  await page.locator('#error').waitFor();
  assert.equal(new URL(page.url()).pathname, '/sign');
});

test('PKCE: sign in, consent, Allow, exchange the code, call the API', async () => {
  // The failed login re-rendered /sign with the same hidden redirect: sign in from here.
  await page.fill('#email', userEmail);
  await page.fill('#password', userPassword);
  await page.click('#sign-in');
  await page.waitForURL((u) => u.pathname === AUTHORIZE);
  await assertConsentPage(pkceApp.name);
  await shot(page, '02-consent.png');

  await page.check('input[name=place][value=personal]');
  await page.click('#allow');
  const q = await landedOnCallback('failed-pkce-allow.png');
  assert.equal(q.get('state'), 's1');
  assert.equal(q.get('error'), null, `no error: ${q}`);
  const code = q.get('code');
  assert.ok(code, `a code: ${q}`);
  await shot(page, '03-pkce-callback.png');

  const exchange = {
    grant_type: 'authorization_code', client_id: pkceApp.client_id, redirect_uri: redirectUri(),
    code, code_verifier: pkce.verifier,
  };
  const tok = await postJson(TOKEN, exchange);
  assert.equal(tok.status, 200, tok.text);
  assert.match(tok.json.access_token, /^czu_/);
  assert.ok(tok.json.refresh_token, tok.text);
  assert.equal(typeof tok.json.expires_in, 'number', tok.text);
  const me = await usersMe(tok.json.access_token);
  assert.equal(me.json.code, 0, JSON.stringify(me.json));

  // The code is single-use.
  const again = await postJson(TOKEN, exchange);
  assert.equal(again.status, 400, again.text);
  assert.equal(again.json.error, 'invalid_grant', again.text);
});

test('PKCE: Deny sends the browser back with access_denied and the state', async () => {
  const url = authorizeUrl({ clientId: pkceApp.client_id, redirectUri: redirectUri(), state: 's2',
    challenge: pkcePair().challenge });
  await page.goto(url);
  await assertConsentPage(pkceApp.name); // signed in: straight to consent
  await page.click('#deny');
  const q = await landedOnCallback('failed-pkce-deny.png');
  assert.equal(q.get('error'), 'access_denied');
  assert.equal(q.get('state'), 's2');
  assert.equal(q.get('code'), null);
});

test('an unregistered redirect URI shows an error page and never leaves the server', async () => {
  const hitsBefore = callbackHits.length;
  const url = authorizeUrl({ clientId: pkceApp.client_id, redirectUri: `${callbackOrigin}/evil`,
    state: 's3', challenge: pkcePair().challenge });
  const res = await page.goto(url);
  assert.equal(res.status(), 400);
  const at = new URL(page.url());
  assert.equal(at.origin, base);
  assert.equal(at.pathname, AUTHORIZE);
  const text = await page.locator('body').innerText();
  assert.match(text, /Authorization failed/);
  assert.match(text, /redirect_uri is not registered/);
  assert.equal(await page.locator('#allow').count(), 0, 'no consent form');
  await shot(page, '04-bad-redirect.png');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(callbackHits.length, hitsBefore, `the callback got no request: ${callbackHits}`);
});

test('device flow: enter the code, consent, Allow, the device gets a token', async () => {
  const dc = await postJson(DEVICE_CODE, { client_id: deviceApp.client_id });
  assert.equal(dc.status, 200, dc.text);
  const { device_code: deviceCode, user_code: userCode, verification_uri: verificationUri } = dc.json;
  assert.ok(deviceCode && userCode && verificationUri, dc.text);
  assert.equal(new URL(verificationUri).origin, base);
  const poll = () => postJson(TOKEN, { grant_type: DEVICE_GRANT, client_id: deviceApp.client_id,
    device_code: deviceCode });

  const pending = await poll();
  const polledAt = Date.now();
  assert.equal(pending.json?.error, 'authorization_pending', pending.text);

  await page.goto(`${verificationUri}?user_code=${encodeURIComponent(userCode)}`);
  assert.equal(await page.locator('#user_code').inputValue(), userCode);
  await shot(page, '05-device-code.png');
  await page.click('#continue');
  await assertConsentPage(deviceApp.name);
  assert.equal(await page.locator('#user-code').innerText(), userCode);
  await shot(page, '06-device-consent.png');
  await page.click('#allow');
  await page.locator('#result').waitFor();
  assert.equal(await page.locator('#result').innerText(), 'Device connected');
  await shot(page, '07-device-result.png');

  // interval is 5 s: a poll sooner than that after the last one is slow_down.
  const wait = (dc.json.interval ?? 5) * 1000 + 500 - (Date.now() - polledAt);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const tok = await poll();
  assert.equal(tok.status, 200, tok.text);
  assert.match(tok.json.access_token, /^czu_/);
  const me = await usersMe(tok.json.access_token);
  assert.equal(me.json.code, 0, JSON.stringify(me.json));
});
