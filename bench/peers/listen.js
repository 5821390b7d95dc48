// Shared start-up of the peer servers (bench/compare.sh, issue 10): listen on 127.0.0.1 port 0
// (any), in WORKERS processes (node:cluster; default 1, as the figures were measured),
// and announce "listening on http://127.0.0.1:PORT" on stderr once every worker listens — the
// same line `cozeauth serve` prints, which compare.sh waits for.
import cluster from 'node:cluster';

// `makeServer()` returns an unstarted node:http Server (or anything with listen/address).
export function serve(name, makeServer) {
  const workers = Number(process.env.WORKERS ?? 1);
  if (workers > 1 && cluster.isPrimary) {
    // Workers calling listen(0) share the primary's handle, hence one port for all of them.
    let ready = 0;
    for (let i = 0; i < workers; i++) {
      cluster.fork().on('message', (port) => {
        if (++ready === workers) announce(name, port, workers);
      });
    }
    let stopping = false;
    cluster.on('exit', (w, code) => {
      if (stopping) return;
      console.error(`${name}: worker ${w.process.pid} exited with ${code}`);
      process.exit(1);
    });
    // compare.sh stops the primary only: it takes its workers along.
    process.on('SIGTERM', () => {
      stopping = true;
      for (const w of Object.values(cluster.workers)) w.process.kill('SIGTERM');
      process.exit(0);
    });
    return;
  }
  const server = makeServer();
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    if (cluster.isWorker) process.send(port);
    else announce(name, port, 1);
  });
}

function announce(name, port, workers) {
  console.error(`${name}: listening on http://127.0.0.1:${port} (${workers} process${workers > 1 ? 'es' : ''})`);
}

// The rest of argv as --key value pairs: { key: value }.
export function args() {
  const out = {};
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i += 2) {
    if (!a[i].startsWith('--') || a[i + 1] === undefined) throw new Error(`bad argument ${a[i]}`);
    out[a[i].slice(2)] = a[i + 1];
  }
  return out;
}
