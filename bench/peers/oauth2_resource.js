// The protected-resource peer (issue 10, workload 2): @node-oauth/oauth2-server's authenticate()
// on the bearer token, with an in-memory model (the token looked up in a Map), answering the
// same small JSON as cozeauth's GET /v1/users/me and GET /v1/bots/{id}.
//   node oauth2_resource.js --token T --user-id U --bot-id B
// The token is seeded as cozeauth's PAT is: one user, permission point getMetadata, which the
// bot route requires (verifyScope), as cozeauth's does.
import http from 'node:http';

import OAuth2Server from '@node-oauth/oauth2-server';

import { args, serve } from './listen.js';

const { Request, Response } = OAuth2Server;
const a = args();
const user = { user_id: a['user-id'], user_name: 'bench', nick_name: 'bench', avatar_url: '' };
const tokens = new Map([[a.token, {
  accessToken: a.token,
  accessTokenExpiresAt: new Date(Date.now() + 86400e3),
  scope: ['getMetadata'],
  client: { id: 'bench' },
  user,
}]]);
const bots = new Map([[a['bot-id'], {
  bot_id: a['bot-id'], name: 'bench', description: '', icon_url: '', bot_mode: 0,
  owner_user_id: user.user_id, is_published: true, prompt_info: { prompt: 'hi' },
}]]);

const oauth = new OAuth2Server({
  model: {
    getAccessToken: async (token) => tokens.get(token) ?? null,
    verifyScope: async (token, scope) => scope.every((s) => token.scope.includes(s)),
  },
});
const noScope = {};
const botScope = { scope: ['getMetadata'], addAcceptedScopesHeader: false, addAuthorizedScopesHeader: false };

function send(res, status, obj) {
  const body = JSON.stringify(obj);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

serve('oauth2-server-resource', () => http.createServer(async (req, res) => {
  const bot = req.url.startsWith('/v1/bots/') ? req.url.slice('/v1/bots/'.length) : null;
  if (req.url !== '/v1/users/me' && bot === null) return send(res, 404, { code: 4000, msg: 'not found' });
  try {
    const token = await oauth.authenticate(
      new Request({ method: req.method, headers: req.headers, query: {} }), new Response(),
      bot === null ? noScope : botScope);
    if (bot === null) return send(res, 200, { code: 0, msg: '', data: token.user });
    const found = bots.get(bot);
    if (!found) return send(res, 200, { code: 4006, msg: 'bot not found' });
    return send(res, 200, { code: 0, msg: '', data: found });
  } catch (err) {
    return send(res, err.code ?? 500, { code: 4100, msg: err.message });
  }
}));
