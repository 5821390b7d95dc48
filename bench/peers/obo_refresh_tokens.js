// Obtains N refresh tokens from a running cozeauth for the refresh-grant workload of
// bench/compare.sh (issue 10), the way a web app gets them (docs/oauth.md): the user signs in
// once (JSON console login), then per token the authorize page, the consent (Coze's JSON call
// with the session cookie and X-CSRF-Token) and the code exchange with the client secret.
// Each token heads its own consent family, so the wrk threads can rotate them independently.
//   node obo_refresh_tokens.js --base URL --email E --password P --client-id ID --secret S
//        --redirect URI --count N --out FILE
// FILE gets one refresh token a line.
import fs from 'node:fs';

import { args } from './listen.js';

const a = args();

async function call(path, { method = 'GET', headers = {}, body } = {}) {
  const res = await fetch(`${a.base}${path}`, {
    method,
    redirect: 'manual',
    headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return { res, text };
}

const login = await call('/api/passport/web/email/login/', {
  method: 'POST', body: { email: a.email, password: a.password },
});
const cookie = login.res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
const csrf = JSON.parse(login.text).data.csrf_token;

async function oneRefreshToken(i) {
  const q = new URLSearchParams({ response_type: 'code', client_id: a['client-id'], redirect_uri: a.redirect, state: `s${i}` });
  const page = await call(`/api/permission/oauth2/authorize?${q}`, { headers: { Cookie: cookie } });
  const key = /name="authorize_key"[^>]*value="([^"]*)"/.exec(page.text)?.[1];
  if (!key) throw new Error(`no authorize_key in the consent page: ${page.text.slice(0, 300)}`);
  const consent = await call('/api/permission/oauth2/authorize_consent', {
    method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrf },
    body: { authorize_key: key.replace(/&amp;/g, '&'), consent: true },
  });
  const code = new URL(JSON.parse(consent.text).data.redirect_uri).searchParams.get('code');
  const tok = await call('/api/permission/oauth2/token', {
    method: 'POST', headers: { Authorization: `Bearer ${a.secret}` },
    body: { grant_type: 'authorization_code', client_id: a['client-id'], redirect_uri: a.redirect, code },
  });
  const { refresh_token: refresh } = JSON.parse(tok.text);
  if (!refresh) throw new Error(`no refresh_token: ${tok.text}`);
  return refresh;
}

const count = Number(a.count);
const out = [];
for (let i = 0; i < count; i += 8) {
  const n = Math.min(8, count - i);
  out.push(...await Promise.all(Array.from({ length: n }, (_, k) => oneRefreshToken(i + k))));
}
fs.writeFileSync(a.out, `${out.join('\n')}\n`);
