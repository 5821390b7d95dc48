// Over-the-wire negative tests of the OAuth endpoints (coze-protocol.md §4): each asserts the
// exact HTTP status and OAuth error_code (§4.8: 400, 401 for invalid_client, body
// {error, error_code, error_message, error_description, logid}). Raw node:http requests, so that
// headers such as `Authorization: Bearer ` reach the server byte for byte; the SDK is used where
// a test is about what it sends. Fixtures are created with the operator CLI (cli.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';

import { AuthenticationError, CozeAPI, PermissionDeniedError, getWebOAuthToken } from '@coze/api';

import {
  authorizeApp,
  createApp,
  createEnterprise,
  createUser,
  disableApp,
  enableApp,
  addKey,
} from './cli.mjs';
import {
  APP_POINTS,
  JWT_GRANT,
  approveDevice,
  assertOAuthError,
  assertTokenResponse,
  baseURL,
  buildFixture,
  consentPage,
  eventually,
  jwtFor,
  login,
  nowSeconds,
  oauthPost,
  postConsent,
  randomJti,
  rejectsWithCode,
  rejectsWithOAuthError,
  REVOKED_AT_ONCE,
  request,
  rsaKeyPair,
  signJwt,
  usersMe,
} from './oauth_helpers.mjs';

const TOKEN = '/api/permission/oauth2/token';
const DEVICE_CODE = '/api/permission/oauth2/device/code';
const host = new URL(baseURL).host;

const f = buildFixture('neg');
// A second service app with its own key: its kid must not sign for the first app.
const other = createApp({ owner: f.user.id, name: 'neg-service-2', clientType: 'service', points: APP_POINTS });
const otherKeys = rsaKeyPair();
const otherKid = addKey(other.id, otherKeys.publicKey);
// A user whose personal account never authorized anything, and an enterprise of the owner.
const stranger = createUser('neg-stranger');
const enterprise = createEnterprise('neg-ent', f.user.id);
const session = await login(f.user);

const jwtBody = { grant_type: JWT_GRANT, duration_seconds: 900 };
const postJwt = (jwt, path = TOKEN) => oauthPost(path, jwtBody, `Bearer ${jwt}`);
const serviceJwt = (overrides = {}) =>
  jwtFor({ appId: f.service.id, kid: f.service.kid, privateKey: f.service.privateKey, overrides });
const random = () => crypto.randomBytes(6).toString('hex');

function authorizeQuery(app, redirectUri, { state = random(), challenge, method } = {}) {
  const q = new URLSearchParams({ response_type: 'code', client_id: app.client_id, redirect_uri: redirectUri, state });
  if (challenge) {
    q.set('code_challenge', challenge);
    q.set('code_challenge_method', method ?? 'S256');
  }
  return `/api/permission/oauth2/authorize?${q}`;
}

// A fresh authorization code of `app` for the fixture's user (consent given over JSON).
async function codeFor(app, opts = {}) {
  const page = await consentPage(session, authorizeQuery(app, app.redirect, opts));
  const redirect = await postConsent(session, page.authorizeKey, { place: 'personal' });
  const code = redirect.searchParams.get('code');
  assert.match(code ?? '', /^code_/, String(redirect));
  return code;
}

const s256 = (verifier) => crypto.createHash('sha256').update(verifier).digest('base64url');

// PKCE code exchanged (as the SDKs send it) with the given Authorization header value.
async function pkceTokens(authorization = 'Bearer ') {
  const verifier = crypto.randomBytes(32).toString('hex');
  const code = await codeFor(f.pkce, { challenge: s256(verifier) });
  const res = await oauthPost(TOKEN, {
    grant_type: 'authorization_code', client_id: f.pkce.client_id, redirect_uri: f.pkce.redirect,
    code, code_verifier: verifier,
  }, authorization);
  assert.equal(res.status, 200, res.text);
  assertTokenResponse(res.json, { prefix: 'czu_', refresh: true, lifetime: 900 });
  return res.json;
}

const webExchange = (code, authorization = `Bearer ${f.web.secret}`, redirectUri = f.web.redirect) =>
  oauthPost(TOKEN, { grant_type: 'authorization_code', client_id: f.web.client_id, redirect_uri: redirectUri, code },
    authorization);

// --- JWT bearer

test('control: a well-formed RS256 JWT is exchanged for a czs_ token', async () => {
  const res = await postJwt(serviceJwt());
  assert.equal(res.status, 200, res.text);
  assertTokenResponse(res.json, { prefix: 'czs_', refresh: false, lifetime: 900 });
  await usersMe(res.json.access_token);
});

test('JWT with alg none is invalid_client (401)', async () => {
  const now = nowSeconds();
  const jwt = signJwt({
    header: { alg: 'none', typ: 'JWT', kid: f.service.kid },
    payload: { iss: f.service.id, aud: host, iat: now, exp: now + 3600, jti: randomJti() },
  });
  assert.ok(jwt.endsWith('.'));
  assertOAuthError(await postJwt(jwt), 401, 'invalid_client');
});

test('JWT signed HS256 with the public key PEM as the HMAC secret is invalid_client (401)', async () => {
  const now = nowSeconds();
  const jwt = signJwt({
    header: { alg: 'HS256', typ: 'JWT', kid: f.service.kid },
    payload: { iss: f.service.id, aud: host, iat: now, exp: now + 3600, jti: randomJti() },
    hmacSecret: f.service.publicKey,
  });
  assertOAuthError(await postJwt(jwt), 401, 'invalid_client');
});

test('JWT with an unknown kid is invalid_client (401)', async () => {
  const jwt = jwtFor({ appId: f.service.id, kid: crypto.randomBytes(32).toString('base64url'),
    privateKey: f.service.privateKey });
  assertOAuthError(await postJwt(jwt), 401, 'invalid_client');
});

test('JWT with the kid (and key) of another app is invalid_client (401)', async () => {
  // iss = the first app, signed correctly with the second app's key under its kid.
  const jwt = jwtFor({ appId: f.service.id, kid: otherKid, privateKey: otherKeys.privateKey });
  assertOAuthError(await postJwt(jwt), 401, 'invalid_client');
  // The same key signing for its own app works.
  const own = await postJwt(jwtFor({ appId: other.id, kid: otherKid, privateKey: otherKeys.privateKey }));
  // …but that app is authorized nowhere.
  assertOAuthError(own, 400, 'access_deny');
});

test('JWT signed with another key under the app\'s kid is invalid_client (401)', async () => {
  const jwt = jwtFor({ appId: f.service.id, kid: f.service.kid, privateKey: otherKeys.privateKey });
  assertOAuthError(await postJwt(jwt), 401, 'invalid_client');
});

test('expired JWT (exp an hour ago) is invalid_client (401)', async () => {
  const now = nowSeconds();
  assertOAuthError(await postJwt(serviceJwt({ iat: now - 7200, exp: now - 3600 })), 401, 'invalid_client');
});

test('JWT issued in the future (iat now + 300 s) is invalid_client (401)', async () => {
  const now = nowSeconds();
  assertOAuthError(await postJwt(serviceJwt({ iat: now + 300, exp: now + 3900 })), 401, 'invalid_client');
});

test('a JWT (or its jti) used twice is invalid_client (401)', async () => {
  const jti = randomJti();
  const jwt = serviceJwt({ jti });
  const first = await postJwt(jwt);
  assert.equal(first.status, 200, first.text);
  assertOAuthError(await postJwt(jwt), 401, 'invalid_client');
  // Re-signed with other claims but the same jti (the lifetime stays under the 3600 s cap).
  assertOAuthError(await postJwt(serviceJwt({ jti, iat: nowSeconds() - 1, exp: nowSeconds() + 900 })),
    401, 'invalid_client');
});

test('JWT with a wrong aud is invalid_client (401)', async () => {
  assertOAuthError(await postJwt(serviceJwt({ aud: 'api.coze.cn' })), 401, 'invalid_client');
  assertOAuthError(await postJwt(serviceJwt({ aud: `${new URL(baseURL).hostname}:1` })), 401, 'invalid_client');
});

test('JWT for an account that never authorized the app (/account/{id}/token) is access_deny', async () => {
  const res = await postJwt(serviceJwt(), `/api/permission/oauth2/account/${stranger.id}/token`);
  assertOAuthError(res, 400, 'access_deny');
});

test('JWT for an enterprise without installation is access_deny; after the owner authorizes it works', async () => {
  const path = `/api/permission/oauth2/enterprise_id/${enterprise.enterprise_id}/token`;
  assertOAuthError(await postJwt(serviceJwt(), path), 400, 'access_deny');
  authorizeApp(f.service.id, f.user.id, { enterprise: enterprise.enterprise_id });
  const res = await eventually(async () => {
    const r = await postJwt(serviceJwt(), path);
    assert.equal(r.status, 200, r.text);
    return r;
  });
  assertTokenResponse(res.json, { prefix: 'czs_', refresh: false, lifetime: 900 });
  const me = await usersMe(res.json.access_token);
  assert.equal(typeof me.user_id, 'string');
});

// --- authorization code, PKCE, refresh

test('an authorization code used twice is invalid_grant and revokes the token it issued (4100)', async () => {
  const code = await codeFor(f.web);
  const first = await webExchange(code);
  assert.equal(first.status, 200, first.text);
  assert.equal((await usersMe(first.json.access_token)).user_id, f.user.id);
  assertOAuthError(await webExchange(code), 400, 'invalid_grant');
  await rejectsWithCode(usersMe(first.json.access_token), 4100, AuthenticationError, REVOKED_AT_ONCE);
  // Its refresh token went with it.
  const refresh = await oauthPost(TOKEN, {
    grant_type: 'refresh_token', client_id: f.web.client_id, refresh_token: first.json.refresh_token,
  }, `Bearer ${f.web.secret}`);
  assertOAuthError(refresh, 400, 'invalid_grant');
});

test('PKCE: a code_verifier that does not match the challenge is invalid_grant', async () => {
  const verifier = crypto.randomBytes(32).toString('hex');
  const code = await codeFor(f.pkce, { challenge: s256(verifier) });
  const res = await oauthPost(TOKEN, {
    grant_type: 'authorization_code', client_id: f.pkce.client_id, redirect_uri: f.pkce.redirect,
    code, code_verifier: `${verifier.slice(0, -1)}${verifier.endsWith('0') ? '1' : '0'}`,
  }, 'Bearer ');
  assertOAuthError(res, 400, 'invalid_grant');
  // No verifier at all.
  const code2 = await codeFor(f.pkce, { challenge: s256(verifier) });
  const res2 = await oauthPost(TOKEN, {
    grant_type: 'authorization_code', client_id: f.pkce.client_id, redirect_uri: f.pkce.redirect, code: code2,
  }, 'Bearer ');
  assertOAuthError(res2, 400, 'invalid_grant');
});

test('token endpoint: a redirect_uri differing in one character is invalid_grant', async () => {
  const code = await codeFor(f.web);
  const wrong = `${f.web.redirect.slice(0, -1)}K`; // …/callbacK
  assertOAuthError(await webExchange(code, undefined, wrong), 400, 'invalid_grant');
  const code2 = await codeFor(f.web);
  assertOAuthError(await webExchange(code2, undefined, `${f.web.redirect}/`), 400, 'invalid_grant');
});

test('authorize endpoint: an unregistered redirect_uri is an HTML error page (400), never a redirect', async () => {
  for (const wrong of [`${f.web.redirect.slice(0, -1)}K`, `${f.web.redirect}/`, 'http://localhost:8081/callback']) {
    for (const headers of [{}, { Cookie: session.cookie }]) {
      const res = await request('GET', authorizeQuery(f.web, wrong), { headers });
      assert.equal(res.status, 400, `${wrong} ${JSON.stringify(headers)}: ${res.status} ${res.text}`);
      assert.equal(res.headers.location, undefined, JSON.stringify(res.headers));
      assert.match(res.headers['content-type'], /text\/html/);
      assert.doesNotMatch(res.text, /authorize_key/);
    }
  }
});

test('authorize endpoint: an unknown client_id is an HTML error page (400), never a redirect', async () => {
  const res = await request('GET', authorizeQuery({ client_id: '00000000000000000000000000000000.app.coze' },
    f.web.redirect), { headers: { Cookie: session.cookie } });
  assert.equal(res.status, 400, res.text);
  assert.equal(res.headers.location, undefined);
  assert.match(res.headers['content-type'], /text\/html/);
});

test('consent denied: the browser goes back to the app with error=access_denied and the state', async () => {
  const state = random();
  const page = await consentPage(session, authorizeQuery(f.web, f.web.redirect, { state }));
  const redirect = await postConsent(session, page.authorizeKey, { consent: false });
  assert.equal(`${redirect.origin}${redirect.pathname}`, f.web.redirect);
  assert.equal(redirect.searchParams.get('error'), 'access_denied');
  assert.equal(redirect.searchParams.get('state'), state);
  assert.equal(redirect.searchParams.get('code'), null);
});

test('a refresh token used twice is invalid_grant and revokes the whole family', async () => {
  const code = await codeFor(f.web);
  const first = (await webExchange(code)).json;
  const refresh = (rt) => oauthPost(TOKEN, { grant_type: 'refresh_token', client_id: f.web.client_id, refresh_token: rt },
    `Bearer ${f.web.secret}`);
  const second = await refresh(first.refresh_token);
  assert.equal(second.status, 200, second.text);
  assertTokenResponse(second.json, { prefix: 'czu_', refresh: true, lifetime: 900 });
  assert.notEqual(second.json.refresh_token, first.refresh_token);
  assert.equal((await usersMe(second.json.access_token)).user_id, f.user.id);
  // The successor is used, so a retry of `first` is reuse even within the grace window for lost
  // refresh responses (docs/oauth.md; refresh_grace, 30 s by default).
  const third = await refresh(second.json.refresh_token);
  assert.equal(third.status, 200, third.text);

  assertOAuthError(await refresh(first.refresh_token), 400, 'invalid_grant');
  await rejectsWithCode(usersMe(third.json.access_token), 4100, AuthenticationError, REVOKED_AT_ONCE);
  await rejectsWithCode(usersMe(second.json.access_token), 4100, AuthenticationError, REVOKED_AT_ONCE);
  assertOAuthError(await refresh(third.json.refresh_token), 400, 'invalid_grant');
});

// --- device flow

test('device: polling twice at once is authorization_pending then slow_down', async () => {
  const dc = await oauthPost(DEVICE_CODE, { client_id: f.device.client_id }, 'Bearer ');
  assert.equal(dc.status, 200, dc.text);
  const poll = () => oauthPost(TOKEN, {
    grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: f.device.client_id,
    device_code: dc.json.device_code,
  });
  assertOAuthError(await poll(), 400, 'authorization_pending');
  assertOAuthError(await poll(), 400, 'slow_down');
});

test('device: a denied user code makes the poll access_denied', async () => {
  const dc = await oauthPost(DEVICE_CODE, { client_id: f.device.client_id });
  assert.equal(dc.status, 200, dc.text);
  await approveDevice(session, dc.json.user_code, { consent: false });
  const res = await oauthPost(TOKEN, {
    grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: f.device.client_id,
    device_code: dc.json.device_code,
  });
  assertOAuthError(res, 400, 'access_denied');
});

// --- client identification and authentication

test('an unknown client_id is invalid_client (401) at the token and device endpoints', async () => {
  const unknown = '12345678901234567890123456789012.app.coze';
  assertOAuthError(await oauthPost(TOKEN, {
    grant_type: 'authorization_code', client_id: unknown, redirect_uri: f.web.redirect, code: 'code_x',
  }, 'Bearer '), 401, 'invalid_client');
  assertOAuthError(await oauthPost(TOKEN, {
    grant_type: 'refresh_token', client_id: unknown, refresh_token: 'x'.repeat(72),
  }), 401, 'invalid_client');
  assertOAuthError(await oauthPost(DEVICE_CODE, { client_id: unknown }, 'Bearer '), 401, 'invalid_client');
});

test('web app: no client secret, an empty Bearer or a wrong secret is invalid_client (401)', async () => {
  const code = await codeFor(f.web);
  assertOAuthError(await webExchange(code, null), 401, 'invalid_client'); // no header
  assertOAuthError(await webExchange(code, 'Bearer '), 401, 'invalid_client');
  assertOAuthError(await webExchange(code, 'Bearer'), 401, 'invalid_client');
  const wrong = `${f.web.secret.slice(0, -1)}${f.web.secret.endsWith('x') ? 'y' : 'x'}`; // one character off
  assertOAuthError(await webExchange(code, `Bearer ${wrong}`), 401, 'invalid_client');
  assertOAuthError(await webExchange(code, `Bearer ${f.web.secret}`.replace('Bearer', 'Basic')), 401, 'invalid_client');
  // The same through the SDK.
  await rejectsWithOAuthError(getWebOAuthToken({
    baseURL, clientId: f.web.client_id, redirectUrl: f.web.redirect, code, clientSecret: 'not-the-secret',
  }), 401, 'invalid_client');
  // Failed client authentication did not burn the code.
  const ok = await webExchange(code);
  assert.equal(ok.status, 200, ok.text);
});

test('PKCE app: no Authorization header, "Bearer " and a bare "Bearer" are all accepted', async () => {
  for (const authorization of [null, 'Bearer ', 'Bearer']) { // null: no header
    const tok = await pkceTokens(authorization);
    assert.equal((await usersMe(tok.access_token)).user_id, f.user.id);
  }
});

test('an OBO token reaches only what its user may: a stranger\'s workspace is 4101', async () => {
  const tok = await pkceTokens();
  const client = new CozeAPI({ token: tok.access_token, baseURL });
  const own = await client.bots.listNew({ workspace_id: f.workspaceId });
  assert.ok(own.items.some((b) => b.id === f.botId), JSON.stringify(own));
  assert.ok(stranger.personalWorkspaceId);
  await rejectsWithCode(client.bots.listNew({ workspace_id: stranger.personalWorkspaceId }), 4101,
    PermissionDeniedError);
});

test('unsupported grant type and a malformed body', async () => {
  assertOAuthError(await oauthPost(TOKEN, { grant_type: 'password', client_id: f.web.client_id }),
    400, 'unsupported_grant_type');
  assertOAuthError(await request('POST', TOKEN, { body: '{not json', headers: { 'Content-Type': 'application/json' } }),
    400, 'invalid_request');
});

// --- disabled apps

test('a disabled app\'s tokens are refused (4100) and its grants access_deny until it is enabled', async () => {
  const app = createApp({ owner: f.user.id, name: 'neg-disable', clientType: 'pkce',
    redirectUris: [f.pkce.redirect], points: APP_POINTS });
  const verifier = crypto.randomBytes(32).toString('hex');
  const code = await codeFor({ ...app, redirect: f.pkce.redirect }, { challenge: s256(verifier) });
  const tok = (await oauthPost(TOKEN, {
    grant_type: 'authorization_code', client_id: app.client_id, redirect_uri: f.pkce.redirect, code,
    code_verifier: verifier,
  }, 'Bearer ')).json;
  assert.equal((await usersMe(tok.access_token)).user_id, f.user.id);

  const service = createApp({ owner: f.user.id, name: 'neg-disable-svc', clientType: 'service', points: APP_POINTS });
  const keys = rsaKeyPair();
  const kid = addKey(service.id, keys.publicKey);
  authorizeApp(service.id, f.user.id, { account: f.user.id });
  const svcJwt = () => jwtFor({ appId: service.id, kid, privateKey: keys.privateKey });
  const svc = await postJwt(svcJwt());
  assert.equal(svc.status, 200, svc.text);

  disableApp(app.id);
  disableApp(service.id);
  await eventually(() => rejectsWithCode(usersMe(tok.access_token), 4100, AuthenticationError));
  await eventually(() => rejectsWithCode(usersMe(svc.json.access_token), 4100, AuthenticationError));
  const refresh = () => oauthPost(TOKEN, { grant_type: 'refresh_token', client_id: app.client_id,
    refresh_token: tok.refresh_token });
  assertOAuthError(await refresh(), 400, 'access_deny');
  assertOAuthError(await postJwt(svcJwt()), 400, 'access_deny');

  enableApp(app.id);
  enableApp(service.id);
  await eventually(async () => assert.equal((await usersMe(tok.access_token)).user_id, f.user.id));
  await eventually(() => usersMe(svc.json.access_token));
  const again = await refresh();
  assert.equal(again.status, 200, again.text);
});
