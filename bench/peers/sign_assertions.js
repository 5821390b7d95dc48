// Pre-signs RS256 JWT assertions for bench/compare.sh (issue 10, workload 3), so that the timed
// run measures the server, not the signer. Each assertion has a fresh iat and a unique jti (both
// servers refuse a replayed jti).
//   node sign_assertions.js --key PEM --kid KID --iss ISS --aud AUD --for cozeauth|oidc
//        --count N --out FILE
// writes FILE, one assertion a line (bench/grant.lua gives line i to wrk thread i mod threads).
// `cozeauth`: the Coze JWT-bearer assertion (iss = app id, aud = API host, exp =
// iat + 3600; docs/oauth.md); `oidc`: an RFC 7523 client assertion (iss = sub = client id,
// aud = issuer, exp = iat + 600). Signs in one worker thread per core.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

import { args } from './listen.js';

const b64url = (x) => Buffer.from(x).toString('base64url');

function signChunk({ keyPem, kid, iss, aud, kind, count }) {
  const key = crypto.createPrivateKey(keyPem);
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const iat = Math.floor(Date.now() / 1000);
  const out = new Array(count);
  for (let i = 0; i < count; i++) {
    const jti = crypto.randomBytes(16).toString('hex');
    const payload = kind === 'oidc'
      ? { iss, sub: iss, aud, iat, exp: iat + 600, jti }
      : { iss, aud, iat, exp: iat + 3600, jti };
    const input = `${header}.${b64url(JSON.stringify(payload))}`;
    out[i] = `${input}.${crypto.sign('sha256', Buffer.from(input), key).toString('base64url')}`;
  }
  return out;
}

if (!isMainThread) {
  parentPort.postMessage(signChunk(workerData));
} else {
  const a = args();
  const count = Number(a.count);
  const job = { keyPem: fs.readFileSync(a.key, 'utf8'), kid: a.kid, iss: a.iss, aud: a.aud, kind: a.for };
  const workers = Math.max(1, Math.min(os.availableParallelism(), Math.ceil(count / 1000)));
  const chunks = await Promise.all(Array.from({ length: workers }, (_, w) => {
    const n = Math.floor(count / workers) + (w < count % workers ? 1 : 0);
    return new Promise((resolve, reject) => {
      new Worker(new URL(import.meta.url), { workerData: { ...job, count: n } })
        .once('message', resolve).once('error', reject);
    });
  }));
  fs.writeFileSync(a.out, `${chunks.flat().join('\n')}\n`);
}
