// The token-issuance peer (issue 10, workload 3): oidc-provider's client_credentials grant with
// private_key_jwt client authentication (RS256), the in-memory adapter (which also keeps the
// replay detection of assertion `jti`s), opaque access tokens of 900 s — what cozeauth's
// JWT-bearer grant does, without the durable store.
//   node oidc_client_credentials.js --issuer URL --client-id ID --public-key-file PEM --kid KID
// Assertions: iss = sub = client id, aud = the issuer, exp, a unique jti (sign_assertions.js).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

import { args, serve } from './listen.js';

const a = args();
const clientKey = {
  ...crypto.createPublicKey(fs.readFileSync(a['public-key-file'])).export({ format: 'jwk' }),
  kid: a.kid, use: 'sig', alg: 'RS256',
};
// The provider's own signing key (it signs nothing here: tokens are opaque); generated so that
// it does not fall back to its development keys.
const ownKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  .export({ format: 'jwk' });

const provider = new Provider(a.issuer, {
  clients: [{
    client_id: a['client-id'],
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256',
    jwks: { keys: [clientKey] },
  }],
  jwks: { keys: [{ ...ownKey, kid: 'peer', use: 'sig', alg: 'RS256' }] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
  ttl: { ClientCredentials: 900 },
});
provider.on('server_error', (ctx, err) => console.error('oidc-provider server_error', err));

serve('oidc-provider', () => http.createServer(provider.callback()));
