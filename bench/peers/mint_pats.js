// Mints N personal access tokens for the cache workload of bench/compare.sh (issue 10), in the
// server's own format (src/credentials/token.*: "pat_" + 64 alphanumeric characters; only the
// lower-case hex SHA-256 of the whole string is stored).
//   node mint_pats.js --count N --tokens FILE --rows CSV
// FILE gets one plaintext a line; CSV gets "id,token_hash" rows for compare.sh to insert as
// copies of a CLI-created PAT. Ids are 19-digit decimal strings starting at 9e18, far above the
// server's time-based ids (base/ids.hpp), so they cannot collide with ids it generates.
import crypto from 'node:crypto';
import fs from 'node:fs';

import { args } from './listen.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const a = args();
const count = Number(a.count);
const tokens = fs.openSync(a.tokens, 'w');
const rows = fs.openSync(a.rows, 'w');
const batch = 10000;
for (let start = 0; start < count; start += batch) {
  const n = Math.min(batch, count - start);
  // 256 is not a multiple of 62: rejection sampling keeps the characters uniform.
  const bytes = crypto.randomBytes(n * 96);
  let k = 0;
  let t = '';
  let r = '';
  for (let i = 0; i < n; i++) {
    let s = 'pat_';
    while (s.length < 68) {
      if (k === bytes.length) { bytes.set(crypto.randomBytes(bytes.length)); k = 0; }
      const b = bytes[k++];
      if (b < 248) s += ALNUM[b % 62];
    }
    t += `${s}\n`;
    r += `${9000000000000000000n + BigInt(start + i)},${crypto.createHash('sha256').update(s).digest('hex')}\n`;
  }
  fs.writeSync(tokens, t);
  fs.writeSync(rows, r);
}
fs.closeSync(tokens);
fs.closeSync(rows);
