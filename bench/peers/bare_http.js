// The HTTP ceiling peer (issue 10, workload 1): a bare node:http server answering every request
// with the small JSON of cozeauth's GET /healthz.
import http from 'node:http';

import { serve } from './listen.js';

const body = JSON.stringify({ status: 'ok' });
serve('bare-http', () => http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}));
