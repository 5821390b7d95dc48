// Every OAuth flow of the official Coze Node SDK (@coze/api, pinned in package.json) against a
// real cozeauth server: web (authorization code + client secret, rotating refresh), PKCE (S256),
// device (RFC 8628 polling) and JWT bearer (service apps, own account and another account).
// The SDK's auth functions are used unchanged; only the browser's part (sign-in, consent page,
// device approval) is played with raw HTTP, as a user's browser would.
// run_compat.sh exports COZEAUTH_BASE_URL, COZEAUTH_BIN and COZEAUTH_DB; the tenancy and the
// apps are created here with the operator CLI (cli.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';

import {
  AuthenticationError,
  PermissionDeniedError,
  getDeviceCode,
  getDeviceToken,
  getJWTToken,
  getPKCEAuthenticationUrl,
  getPKCEOAuthToken,
  getWebAuthenticationUrl,
  getWebOAuthToken,
  refreshOAuthToken,
} from '@coze/api';

import {
  authorizeApp,
  createEnterprise,
  createPublishedBot,
  createUser,
  createWorkspace,
} from './cli.mjs';
import {
  approveDevice,
  assertTokenResponse,
  authorizeAndConsent,
  authorizePath,
  baseURL,
  buildFixture,
  consentPage,
  eventually,
  exerciseToken,
  formLogin,
  login,
  postConsent,
  rejectsWithCode,
  rejectsWithOAuthError,
  REVOKED_AT_ONCE,
  request,
  usersMe,
} from './oauth_helpers.mjs';

const f = buildFixture('oauth');
const resources = { userId: f.user.id, workspaceId: f.workspaceId, botId: f.botId, prompt: f.prompt };
const OBO_SECONDS = 15 * 60;

test('web app: getWebAuthenticationUrl, sign-in, consent, getWebOAuthToken, rotating refreshOAuthToken', async () => {
  const state = `web-${crypto.randomBytes(6).toString('hex')}`;
  const url = getWebAuthenticationUrl({
    baseURL,
    clientId: f.web.client_id,
    redirectUrl: f.web.redirect,
    state,
  });
  const path = authorizePath(url);
  const q = new URL(url).searchParams;
  assert.deepEqual([...q.keys()], ['response_type', 'client_id', 'redirect_uri', 'state']);

  // A browser without a session is sent to the sign-in page, which brings it back afterwards.
  const anonymous = await request('GET', path);
  assert.equal(anonymous.status, 302, anonymous.text);
  const sign = new URL(anonymous.headers.location, baseURL);
  assert.equal(sign.pathname, '/sign');
  assert.equal(sign.searchParams.get('redirect'), path);
  const session = await formLogin(f.user, sign.searchParams.get('redirect'));
  const back = new URL(session.location, baseURL);
  assert.equal(back.pathname + back.search, path);

  const page = await consentPage(session, back.pathname + back.search);
  assert.deepEqual(page.places, ['personal']);
  assert.match(page.html, /createConversation/);
  // The JSON consent call of Coze's console (X-CSRF-Token header).
  const redirect = await postConsent(session, page.authorizeKey, { place: 'personal' });
  assert.equal(`${redirect.origin}${redirect.pathname}`, f.web.redirect);
  assert.equal(redirect.searchParams.get('state'), state);
  const code = redirect.searchParams.get('code');
  assert.match(code, /^code_/);

  const tok = await getWebOAuthToken({
    baseURL,
    clientId: f.web.client_id,
    redirectUrl: f.web.redirect,
    code,
    clientSecret: f.web.secret,
  });
  assertTokenResponse(tok, { prefix: 'czu_', refresh: true, lifetime: OBO_SECONDS });
  await exerciseToken(tok.access_token, resources);

  const next = await refreshOAuthToken({
    baseURL,
    clientId: f.web.client_id,
    refreshToken: tok.refresh_token,
    clientSecret: f.web.secret,
  });
  assertTokenResponse(next, { prefix: 'czu_', refresh: true, lifetime: OBO_SECONDS });
  assert.notEqual(next.refresh_token, tok.refresh_token);
  assert.notEqual(next.access_token, tok.access_token);
  assert.equal((await usersMe(next.access_token)).user_id, f.user.id);
  // The client rotates again: `next` is used, so presenting `tok` now is reuse even within the
  // grace window for lost refresh responses (docs/oauth.md; refresh_grace, 30 s by default).
  const last = await refreshOAuthToken({
    baseURL,
    clientId: f.web.client_id,
    refreshToken: next.refresh_token,
    clientSecret: f.web.secret,
  });
  assertTokenResponse(last, { prefix: 'czu_', refresh: true, lifetime: OBO_SECONDS });

  // The rotated-out refresh token presented again: invalid_grant, and the whole family is
  // revoked (reuse detection), so the latest access and refresh tokens stop working too.
  await rejectsWithOAuthError(refreshOAuthToken({
    baseURL,
    clientId: f.web.client_id,
    refreshToken: tok.refresh_token,
    clientSecret: f.web.secret,
  }), 400, 'invalid_grant');
  await rejectsWithCode(usersMe(last.access_token), 4100, AuthenticationError, REVOKED_AT_ONCE);
  await rejectsWithCode(usersMe(tok.access_token), 4100, AuthenticationError, REVOKED_AT_ONCE);
  await rejectsWithOAuthError(refreshOAuthToken({
    baseURL,
    clientId: f.web.client_id,
    refreshToken: last.refresh_token,
    clientSecret: f.web.secret,
  }), 400, 'invalid_grant');
});

test('PKCE app (S256): getPKCEAuthenticationUrl, consent form, getPKCEOAuthToken, secret-less refresh', async () => {
  const state = `pkce-${crypto.randomBytes(6).toString('hex')}`;
  const { url, codeVerifier } = await getPKCEAuthenticationUrl({
    baseURL,
    clientId: f.pkce.client_id,
    redirectUrl: f.pkce.redirect,
    state,
  });
  const q = new URL(url).searchParams;
  assert.equal(q.get('code_challenge_method'), 'S256');
  assert.equal(q.get('code_challenge'),
    crypto.createHash('sha256').update(codeVerifier).digest('base64url'));
  assert.match(codeVerifier, /^[0-9a-f]{64}$/);

  const session = await login(f.user);
  // The HTML form's post (csrf_token field, 302 to the app).
  const got = await authorizeAndConsent(session, url, { form: true, place: 'personal' });
  assert.equal(`${got.redirect.origin}${got.redirect.pathname}`, f.pkce.redirect);
  assert.equal(got.state, state);

  const tok = await getPKCEOAuthToken({
    baseURL,
    clientId: f.pkce.client_id,
    redirectUrl: f.pkce.redirect,
    code: got.code,
    codeVerifier,
  });
  assertTokenResponse(tok, { prefix: 'czu_', refresh: true, lifetime: OBO_SECONDS });
  await exerciseToken(tok.access_token, resources);

  // A public client refreshes without a secret (the SDK sends `Authorization: Bearer `).
  const next = await refreshOAuthToken({
    baseURL,
    clientId: f.pkce.client_id,
    refreshToken: tok.refresh_token,
  });
  assertTokenResponse(next, { prefix: 'czu_', refresh: true, lifetime: OBO_SECONDS });
  assert.notEqual(next.refresh_token, tok.refresh_token);
  assert.equal((await usersMe(next.access_token)).user_id, f.user.id);
});

test('device app: getDeviceCode, getDeviceToken({poll: true}) while the user approves the code', async () => {
  const dc = await getDeviceCode({ baseURL, clientId: f.device.client_id });
  assert.equal(typeof dc.device_code, 'string');
  assert.ok(dc.device_code.length >= 32, JSON.stringify(dc));
  assert.match(dc.user_code, /^[A-Z]{4}-[A-Z]{4}$/);
  assert.equal(dc.verification_uri, `${baseURL}/device`);
  assert.equal(dc.verification_url, `${baseURL}/device?user_code=${dc.user_code}`);
  assert.equal(dc.expires_in, 300);
  assert.equal(dc.interval, 5);

  const session = await login(f.user);
  // The SDK polls at once (authorization_pending), sleeps POLL_INTERVAL (5 s) and polls again.
  let approved = false;
  const approval = new Promise((r) => setTimeout(r, 1000)).then(async () => {
    await approveDevice(session, dc.user_code);
    approved = true;
  });
  const tok = await getDeviceToken({ baseURL, clientId: f.device.client_id, deviceCode: dc.device_code, poll: true });
  await approval;
  assert.ok(approved);
  assertTokenResponse(tok, { prefix: 'czu_', refresh: true, lifetime: OBO_SECONDS });
  await exerciseToken(tok.access_token, resources);

  // The device code gives no second token (polled again at once: slow_down comes first, RFC 8628
  // §3.5; after the interval: invalid_grant).
  await assert.rejects(
    getDeviceToken({ baseURL, clientId: f.device.client_id, deviceCode: dc.device_code }),
    (err) => err.status === 400 && ['slow_down', 'invalid_grant'].includes(err.rawError?.error_code),
  );
});

test('service app: getJWTToken in the owner\'s account (aud = host:port)', async () => {
  const tok = await getJWTToken({
    baseURL,
    appId: f.service.id,
    aud: new URL(baseURL).host, // 127.0.0.1:PORT, as coze-py/coze-go derive it
    keyid: f.service.kid,
    privateKey: f.service.privateKey,
  });
  assertTokenResponse(tok, { prefix: 'czs_', refresh: false, lifetime: 900 });
  // A service token is the app itself, not a user: users.me describes the token.
  const client = await exerciseToken(tok.access_token, { ...resources, userId: undefined });
  const me = await client.users.me();
  assert.notEqual(me.user_id, f.user.id);

  // accountId = the owner's own personal account is the same authorization, by path.
  const same = await getJWTToken({
    baseURL,
    appId: f.service.id,
    aud: new URL(baseURL).hostname, // without the port, as coze-java derives it
    keyid: f.service.kid,
    privateKey: f.service.privateKey,
    accountId: f.user.id,
    durationSeconds: 1800,
  });
  assertTokenResponse(same, { prefix: 'czs_', refresh: false, lifetime: 1800 });
  await exerciseToken(same.access_token, { ...resources, userId: undefined });
});

// The cross-account case of DOC:oauth_jwt_collaborate. The server only lets an app's owner
// authorize it in a personal account (its own), so "another account" is an organization: a
// second user B owns an enterprise; B, its super_admin, authorizes A's service app in the
// enterprise's default organization (as Coze's share link does). A then asks for a token with
// accountId = that organization and works on the organization's workspace.
test('service app: getJWTToken with accountId of an organization whose admin authorized the app', async () => {
  const b = createUser('oauth-other');
  const ent = createEnterprise('oauth-other-ent', b.id);
  const org = ent.default_org_account_id;
  const orgWorkspace = createWorkspace(org, b.id, 'oauth org team');
  const orgPrompt = 'Org:';
  const orgBot = createPublishedBot(orgWorkspace, 'oauth org bot', orgPrompt);
  const jwtConfig = {
    baseURL,
    appId: f.service.id,
    aud: new URL(baseURL).host,
    keyid: f.service.kid,
    privateKey: f.service.privateKey,
    accountId: org,
  };
  // Not authorized there yet.
  await rejectsWithOAuthError(getJWTToken(jwtConfig), 400, 'access_deny');

  authorizeApp(f.service.id, b.id, { account: org });
  const tok = await eventually(() => getJWTToken(jwtConfig));
  assertTokenResponse(tok, { prefix: 'czs_', refresh: false, lifetime: 900 });
  const client = await exerciseToken(tok.access_token, { workspaceId: orgWorkspace, botId: orgBot, prompt: orgPrompt });
  // The token is the organization's: the owner's personal workspace is outside it.
  await rejectsWithCode(client.bots.listNew({ workspace_id: f.workspaceId }), 4101, PermissionDeniedError);
});
