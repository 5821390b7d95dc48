// Helpers shared by oauth.test.mjs and oauth_negative.test.mjs: raw HTTP (node:http, so that
// header values such as `Authorization: Bearer ` go on the wire byte for byte — fetch would trim
// them), the browser side of the code flow (login, authorize page, consent), device approval,
// JWT signing with node:crypto, and fixtures built with the operator CLI (cli.mjs).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';

import { APIError, CozeAPI, PermissionDeniedError } from '@coze/api';

import {
  addKey,
  authorizeApp,
  createApp,
  createPublishedBot,
  createSecret,
  createUser,
  createWorkspace,
} from './cli.mjs';

export function env(name) {
  const v = process.env[name];
  assert.ok(v, `environment variable ${name} must be set (run tests/compat/run_compat.sh)`);
  return v;
}

export const baseURL = env('COZEAUTH_BASE_URL');
const base = new URL(baseURL);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const nowSeconds = () => Math.floor(Date.now() / 1000);

// The points every test app declares. getMetadata (bots.retrieveNew / bots.retrieve) is left out
// on purpose: calling it with an app's token must be 4101.
export const APP_POINTS = {
  account: ['createConversation', 'retrieveConversation', 'listConversation', 'getChat',
    'listMessage'],
  workspace: ['chat', 'listBot', 'getPublishedBot'],
};

// --- raw HTTP

// One request to the server; `body` is an object (sent as JSON), a URLSearchParams (form) or a
// string. Redirects are never followed. Returns { status, headers, text, json }.
export function request(method, pathAndQuery, { headers = {}, body } = {}) {
  let payload;
  const h = { ...headers };
  if (body instanceof URLSearchParams) {
    payload = body.toString();
    h['Content-Type'] ??= 'application/x-www-form-urlencoded';
  } else if (typeof body === 'string') {
    payload = body;
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    h['Content-Type'] ??= 'application/json';
  }
  if (payload !== undefined) h['Content-Length'] = Buffer.byteLength(payload);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: base.hostname,
      port: base.port,
      method,
      path: pathAndQuery,
      headers: h,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

// POST to an OAuth endpoint (JSON body); `authorization` is the exact header value, or null /
// undefined for no header at all.
export function oauthPost(path, body, authorization) {
  const headers = {};
  if (authorization != null) headers.Authorization = authorization;
  return request('POST', path, { headers, body });
}

// Asserts the OAuth error shape (coze-protocol.md §4.8) with `status` and `code`.
export function assertOAuthError(res, status, code) {
  const what = `${res.status} ${res.text}`;
  assert.equal(res.status, status, what);
  assert.ok(res.json, `not JSON: ${what}`);
  assert.equal(res.json.error_code, code, what);
  assert.equal(res.json.error, code, what);
  assert.equal(typeof res.json.error_message, 'string', what);
  assert.ok(res.json.error_message.length > 0, what);
  assert.equal(res.json.error_description, res.json.error_message, what);
  assert.ok(typeof res.json.logid === 'string' && res.json.logid.length > 0, what);
  assert.equal(res.json.access_token, undefined, what);
}

// Asserts that `promise` (an SDK call) rejects with the SDK's APIError for an OAuth error: the
// HTTP status and the body's error_code (the SDK keeps the body as rawError).
export async function rejectsWithOAuthError(promise, status, code) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof APIError, `expected APIError, got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.status, status, `status of ${err.message}`);
    assert.equal(err.rawError?.error_code, code, JSON.stringify(err.rawError));
    assert.equal(err.rawError?.error, code, JSON.stringify(err.rawError));
    return true;
  });
}

// Asserts that `promise` rejects with the SDK's APIError carrying the business `code`;
// `message` explains a missing rejection.
export async function rejectsWithCode(promise, code, cls, message) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof APIError, `expected APIError, got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.code, code, `code of ${err.message}`);
    if (cls) assert.ok(err instanceof cls, `expected ${cls.name}, got ${err.constructor.name}`);
    return true;
  }, message);
}

// A token the server itself has just revoked (reuse detection at the token endpoint) must be
// refused on the very next request: no CLI-to-server propagation delay applies there.
export const REVOKED_AT_ONCE = 'the token endpoint revoked this token, yet the next request still ' +
  'accepted it (the server must drop its own cached copy at once)';

// Retries `fn` until it stops throwing (the CLI's writes reach the server within 200 ms). It
// waits for that event; the deadline only bounds a failure, generously, for a loaded machine.
export async function eventually(fn, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(50);
    }
  }
}

// --- tokens

// A successful token response (coze-protocol.md §4.3): flat, expires_in an absolute Unix time.
export function assertTokenResponse(tok, { prefix, refresh, lifetime }) {
  const what = JSON.stringify(tok);
  assert.equal(typeof tok.access_token, 'string', what);
  assert.ok(tok.access_token.startsWith(prefix), what);
  assert.equal(tok.token_type, 'Bearer', what);
  assert.equal(typeof tok.expires_in, 'number', what);
  const now = nowSeconds();
  assert.ok(Math.abs(tok.expires_in - (now + lifetime)) <= 5, `expires_in ${tok.expires_in}, now ${now}`);
  if (refresh) {
    assert.equal(typeof tok.refresh_token, 'string', what);
    assert.ok(tok.refresh_token.length >= 32, what);
  } else {
    assert.ok(!tok.refresh_token, what);
  }
  assert.equal(tok.code, undefined, what);
  assert.equal(tok.data, undefined, what);
}

// Uses an access token through the SDK: users.me, bots.listNew, bots.list and chat.create work;
// bots.retrieveNew (getMetadata, not declared by the app) is 4101.
export async function exerciseToken(token, { userId, workspaceId, botId, prompt }) {
  const client = new CozeAPI({ token, baseURL });
  const me = await client.users.me();
  assert.equal(typeof me.user_id, 'string', JSON.stringify(me));
  assert.ok(me.user_id.length > 0, JSON.stringify(me));
  if (userId) assert.equal(me.user_id, userId);

  const page = await client.bots.listNew({ workspace_id: workspaceId, page_num: 1, page_size: 20 });
  assert.ok(page.items.some((b) => b.id === botId), JSON.stringify(page));
  const old = await client.bots.list({ space_id: workspaceId, page_size: 20, page_index: 1 });
  assert.ok(old.space_bots.some((b) => b.bot_id === botId), JSON.stringify(old));

  const chat = await client.chat.create({
    bot_id: botId,
    user_id: 'oauth-compat-user',
    additional_messages: [{ role: 'user', content: 'hi', content_type: 'text' }],
  });
  assert.match(chat.id, /^\d{19}$/);
  assert.equal(chat.status, 'completed');
  const messages = await client.chat.messages.list(chat.conversation_id, chat.id);
  assert.ok(messages.some((m) => m.type === 'answer' && m.content === `${prompt} hi`),
    JSON.stringify(messages));

  await rejectsWithCode(client.bots.retrieveNew(botId), 4101, PermissionDeniedError);
  return client;
}

// users.me with `token`: resolves with the user, or rejects with the SDK error.
export const usersMe = (token) => new CozeAPI({ token, baseURL }).users.me();

// --- browser side

function cookieHeader(res) {
  const set = res.headers['set-cookie'] ?? [];
  return set.map((c) => c.split(';')[0]).filter((c) => !c.endsWith('=')).join('; ');
}

// Logs in with the JSON console endpoint: { cookie, csrf }.
export async function login(user) {
  const res = await request('POST', '/api/passport/web/email/login/', {
    body: { email: user.email, password: user.password },
  });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.code, 0, res.text);
  const cookie = cookieHeader(res);
  assert.match(cookie, /cozeauth_session=/);
  assert.ok(res.json.data.csrf_token, res.text);
  return { cookie, csrf: res.json.data.csrf_token };
}

// Logs in with the sign-in form, as a browser sent there by the authorize endpoint does:
// { cookie, csrf, location } where location is the `redirect` the form carried.
export async function formLogin(user, redirect) {
  const res = await request('POST', '/sign', {
    body: new URLSearchParams({ email: user.email, password: user.password, redirect }),
  });
  assert.equal(res.status, 302, res.text);
  const cookie = cookieHeader(res);
  const csrf = /cozeauth_csrf=([^;]+)/.exec(cookie)?.[1];
  assert.ok(csrf, cookie);
  return { cookie, csrf, location: res.headers.location };
}

const unescapeHtml = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<')
  .replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function hiddenInput(html, name) {
  const m = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html);
  return m ? unescapeHtml(m[1]) : undefined;
}

// The consent page of an authorize URL, fetched with `session`: { authorizeKey, csrf, places }.
export async function consentPage(session, pathAndQuery) {
  const res = await request('GET', pathAndQuery, { headers: { Cookie: session.cookie } });
  assert.equal(res.status, 200, `${res.status} ${res.headers.location ?? ''} ${res.text}`);
  assert.match(res.headers['content-type'], /text\/html/);
  const authorizeKey = hiddenInput(res.text, 'authorize_key');
  const csrf = hiddenInput(res.text, 'csrf_token');
  assert.ok(authorizeKey, res.text);
  assert.ok(csrf, res.text);
  const places = [...res.text.matchAll(/<input[^>]*type="radio"[^>]*name="place"[^>]*value="([^"]*)"/g)]
    .map((m) => unescapeHtml(m[1]));
  return { authorizeKey, csrf, places, html: res.text };
}

// Posts the consent. `form` false: JSON with X-CSRF-Token (Coze's console call) → the
// redirect_uri from {code:0,data:{redirect_uri}}; `form` true: the HTML form (csrf_token field)
// → the 302 Location. Returns the URL the browser would be sent to.
export async function postConsent(session, authorizeKey, { consent = true, place, form = false,
  csrf } = {}) {
  if (form) {
    const fields = { authorize_key: authorizeKey, consent: String(consent), csrf_token: csrf ?? session.csrf };
    if (place) fields.place = place;
    const res = await request('POST', '/api/permission/oauth2/authorize_consent', {
      headers: { Cookie: session.cookie },
      body: new URLSearchParams(fields),
    });
    assert.equal(res.status, 302, res.text);
    assert.ok(res.headers.location, JSON.stringify(res.headers));
    return new URL(res.headers.location);
  }
  const body = { authorize_key: authorizeKey, consent };
  if (place) body.place = place;
  const res = await request('POST', '/api/permission/oauth2/authorize_consent', {
    headers: { Cookie: session.cookie, 'X-CSRF-Token': session.csrf },
    body,
  });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.code, 0, res.text);
  return new URL(res.json.data.redirect_uri);
}

// The SDK builds the authorize URL on baseURL.replace('https://api', 'https://www')
// (coze-protocol.md §1.3). For our http://127.0.0.1:PORT base the replace does nothing, so the
// URL is already on the server's own origin, which serves the authorize endpoint too. Returns the
// path and query to request.
export function authorizePath(sdkUrl) {
  const u = new URL(sdkUrl);
  assert.equal(u.origin, base.origin, `the SDK built ${sdkUrl}`);
  assert.equal(u.pathname, '/api/permission/oauth2/authorize');
  return u.pathname + u.search;
}

// Authorize URL → consent (allow) → { code, state, redirect } as the app's redirect_uri sees it.
export async function authorizeAndConsent(session, sdkUrl, opts = {}) {
  const page = await consentPage(session, authorizePath(sdkUrl));
  const redirect = await postConsent(session, page.authorizeKey, { csrf: page.csrf, ...opts });
  const code = redirect.searchParams.get('code');
  assert.ok(code, `no code in ${redirect}`);
  assert.match(code, /^code_/);
  return { code, state: redirect.searchParams.get('state'), redirect };
}

// Approves (or denies) a device's user code as `session`'s user.
export async function approveDevice(session, userCode, { consent = true, place } = {}) {
  const body = { user_code: userCode, consent };
  if (place) body.place = place;
  const res = await request('POST', '/api/permission/oauth2/device/verification', {
    headers: { Cookie: session.cookie, 'X-CSRF-Token': session.csrf },
    body,
  });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.code, 0, res.text);
}

// --- JWT

export function rsaKeyPair() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKey, privateKey };
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');

// A compact JWT. `sign` is 'RS256' (with privateKey), 'HS256' (with hmacSecret) or 'none'.
export function signJwt({ header, payload, privateKey, hmacSecret }) {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  let sig = '';
  if (header.alg === 'RS256') {
    sig = crypto.createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url');
  } else if (header.alg === 'HS256') {
    sig = crypto.createHmac('sha256', hmacSecret).update(input).digest('base64url');
  }
  return `${input}.${sig}`;
}

export const randomJti = () => crypto.randomBytes(32).toString('hex');

// The JWT an SDK would send: RS256, kid, iss/aud/iat/exp/jti.
export function jwtFor({ appId, kid, privateKey, aud = base.host, overrides = {} }) {
  const now = nowSeconds();
  const payload = { iss: appId, aud, iat: now, exp: now + 3600, jti: randomJti(), ...overrides };
  return signJwt({ header: { alg: 'RS256', typ: 'JWT', kid }, payload, privateKey });
}

export const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

// --- fixtures

// A user with a team workspace holding a published bot, and the four kinds of apps, each
// declaring APP_POINTS, owned by the user's personal account; the service app has an RSA key
// and is authorized in that account.
export function buildFixture(prefix) {
  const user = createUser(`${prefix}-owner`);
  const workspaceId = createWorkspace(user.id, user.id, `${prefix} team`);
  const prompt = `${prefix}:`;
  const botId = createPublishedBot(workspaceId, `${prefix} bot`, prompt);
  const webRedirect = 'http://localhost:8080/callback';
  const pkceRedirect = 'http://127.0.0.1:53682/oauth/callback';
  const web = createApp({ owner: user.id, name: `${prefix}-web`, clientType: 'web',
    redirectUris: [webRedirect], points: APP_POINTS });
  const secret = createSecret(web.id);
  const pkce = createApp({ owner: user.id, name: `${prefix}-pkce`, clientType: 'pkce',
    redirectUris: [pkceRedirect], points: APP_POINTS });
  const device = createApp({ owner: user.id, name: `${prefix}-device`, clientType: 'device',
    points: APP_POINTS });
  const service = createApp({ owner: user.id, name: `${prefix}-service`, clientType: 'service',
    points: APP_POINTS });
  const keys = rsaKeyPair();
  const kid = addKey(service.id, keys.publicKey);
  authorizeApp(service.id, user.id, { account: user.id });
  return {
    user,
    workspaceId,
    botId,
    prompt,
    web: { ...web, secret, redirect: webRedirect },
    pkce: { ...pkce, redirect: pkceRedirect },
    device,
    service: { ...service, kid, ...keys },
  };
}
