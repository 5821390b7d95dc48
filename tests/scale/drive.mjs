// Drives the official Coze Node SDK (@coze/api, from tests/compat/node_modules) against a load
// balancer in front of several cozeauth nodes, for tests/scale/node_kill.sh.
//
//   COZEAUTH_BASE_URL  the balancer, e.g. http://127.0.0.1:41234
//   PAT                a token with listWorkspace, getPublishedBot (getMetadata), createConversation
//   BOT_ID, USER_ID, WORKSPACE_ID
//   DRIVE_SECONDS      how long to run (default 20)
//   DRIVE_WORKERS      concurrent callers (default 4)
//   STEADY_AFTER       print "steady" once this many calls succeeded (default 200)
//   DRIVE_UNTIL_SIGNAL 1: also keep going until SIGUSR2 arrives, then DRIVE_AFTER_SIGNAL_SECONDS
//                      more (default 5); node_kill.sh sends it once the killed node is back, so
//                      a slow restart cannot end the run early. Never more than 240 s in all.
//
// Each worker loops over four calls: three idempotent GETs (users.me, workspaces.list,
// bots.retrieve) and one non-idempotent POST (conversations.create). Every result is checked, so
// a success is a real answer of the server, not a page of the balancer. stdout gets "steady"
// (once) and, at the end, one line of JSON:
//   {"idempotent":{"ok":N,"failed":N,"max_ms":N},"non_idempotent":{...},"duration_s":S,
//    "failures":[{"t_ms":..,"call":..,"status":..,"error":..}, ...]}   (the first 50 failures)
// Exit status 0 once the run completed, whatever the counts (node_kill.sh judges them).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The SDK is installed once, in tests/compat (scripts/setup.sh --test runs `npm ci` there).
const compat = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'compat');
const { CozeAPI } = createRequire(path.join(compat, 'package.json'))('@coze/api');

function env(name, fallback) {
  const v = process.env[name] ?? fallback;
  if (v === undefined || v === '') {
    console.error(`drive: environment variable ${name} must be set (run tests/scale/node_kill.sh)`);
    process.exit(2);
  }
  return v;
}

const baseURL = env('COZEAUTH_BASE_URL');
const botId = env('BOT_ID');
const userId = env('USER_ID');
const workspaceId = env('WORKSPACE_ID');
const seconds = Number(env('DRIVE_SECONDS', '20'));
const workers = Number(env('DRIVE_WORKERS', '4'));
const steadyAfter = Number(env('STEADY_AFTER', '200'));
const client = new CozeAPI({ token: env('PAT'), baseURL });

function check(cond, what) {
  if (!cond) throw new Error(`unexpected answer: ${what}`);
}

const calls = [
  {
    name: 'users.me', kind: 'idempotent',
    run: async () => { const me = await client.users.me(); check(me.user_id === userId, 'user_id'); },
  },
  {
    name: 'workspaces.list', kind: 'idempotent',
    run: async () => {
      const page = await client.workspaces.list({ page_num: 1, page_size: 20 });
      check(page.workspaces.some((w) => w.id === workspaceId), 'workspace missing');
    },
  },
  {
    name: 'bots.retrieve', kind: 'idempotent',
    run: async () => {
      const bot = await client.bots.retrieve({ bot_id: botId });
      check(bot.bot_id === botId, 'bot_id');
    },
  },
  {
    name: 'conversations.create', kind: 'non_idempotent',
    run: async () => {
      const conv = await client.conversations.create({ bot_id: botId });
      check(/^\d{19}$/.test(conv.id), 'conversation id');
    },
  },
];

const stats = {
  idempotent: { ok: 0, failed: 0, max_ms: 0 },
  non_idempotent: { ok: 0, failed: 0, max_ms: 0 },
};
const perCall = Object.fromEntries(calls.map((c) => [c.name, { ok: 0, failed: 0 }]));
const failures = [];
const start = performance.now();
const deadline = start + seconds * 1000;
const hardDeadline = start + 240 * 1000;
const afterSignalMs = Number(env('DRIVE_AFTER_SIGNAL_SECONDS', '5')) * 1000;
let signalledAt = process.env.DRIVE_UNTIL_SIGNAL === '1' ? null : -Infinity;
process.on('SIGUSR2', () => { signalledAt = performance.now(); });
let steady = false;

function running() {
  const now = performance.now();
  if (now >= hardDeadline) return false;
  return now < deadline || signalledAt === null || now < signalledAt + afterSignalMs;
}

async function worker(offset) {
  for (let i = offset; running(); i++) {
    const call = calls[i % calls.length];
    const t0 = performance.now();
    try {
      await call.run();
      stats[call.kind].ok++;
      perCall[call.name].ok++;
    } catch (err) {
      stats[call.kind].failed++;
      perCall[call.name].failed++;
      if (failures.length < 50) {
        failures.push({
          t_ms: Math.round(t0 - start),
          call: call.name,
          status: err?.status ?? err?.response?.status ?? null,
          error: String(err?.message ?? err).slice(0, 200),
        });
      }
    }
    const ms = Math.round(performance.now() - t0);
    if (ms > stats[call.kind].max_ms) stats[call.kind].max_ms = ms;
    if (!steady && stats.idempotent.ok + stats.non_idempotent.ok >= steadyAfter) {
      steady = true;
      process.stdout.write('steady\n');
    }
  }
}

await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
const summary = {
  ...stats,
  duration_s: Math.round((performance.now() - start) / 100) / 10,
  signalled: signalledAt !== null && signalledAt !== -Infinity,
  per_call: perCall,
  failures,
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
