// The operator CLI (`cozeauth admin … --json`, docs/cli.md) for the OAuth suites' fixtures.
// run_compat.sh exports COZEAUTH_BIN (the binary) and COZEAUTH_DB (the store URL of the running
// server); the CLI's writes reach the server within 200 ms (docs/cli.md), see `eventually` in
// oauth_helpers.mjs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function env(name) {
  const v = process.env[name];
  assert.ok(v, `environment variable ${name} must be set (run tests/compat/run_compat.sh)`);
  return v;
}

const bin = env('COZEAUTH_BIN');
const db = env('COZEAUTH_DB');

// `cozeauth admin ARGS… --db DB --json`, parsed. Throws with the CLI's stderr when it fails.
export function admin(...args) {
  let out;
  try {
    out = execFileSync(bin, ['admin', ...args, '--db', db, '--json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    throw new Error(`cozeauth admin ${args.join(' ')} failed (${err.status}): ${err.stderr || err.message}`);
  }
  try {
    return JSON.parse(out);
  } catch {
    throw new Error(`cozeauth admin ${args.join(' ')} printed no JSON: ${out}`);
  }
}

// A unique suffix so that the two OAuth files (and reruns against a kept db) never collide on
// e-mails or app names.
const run = `${process.pid}${Date.now().toString(36)}`;
export const unique = (name) => `${name}-${run}`;

// A user (personal account id = user id) with the password `password`.
export function createUser(name, password = 'OAuth-Compat-Pw1') {
  const email = `${unique(name)}@cozeauth.test`;
  const u = admin('user', 'create', '--name', name, '--email', email, '--password', password);
  return { id: u.id, email, password, personalWorkspaceId: u.personal_workspace_id };
}

export function createWorkspace(accountId, ownerId, name) {
  return admin('workspace', 'create', '--account', accountId, '--owner', ownerId, '--name', name).id;
}

export function createPublishedBot(workspaceId, name, prompt) {
  return admin('bot', 'create', '--workspace', workspaceId, '--name', name, '--prompt', prompt,
    '--publish').id;
}

// `admin app create`; `points` = { account: [...], workspace: [...] }.
export function createApp({ owner, name, clientType, redirectUris = [], points }) {
  const args = ['app', 'create', '--owner-account', owner, '--name', unique(name),
    '--client-type', clientType];
  for (const uri of redirectUris) args.push('--redirect-uri', uri);
  if (points.account?.length) args.push('--account-permissions', points.account.join(','));
  if (points.workspace?.length) args.push('--workspace-permissions', points.workspace.join(','));
  return admin(...args);
}

export const createSecret = (appId) => admin('app', 'secret', 'create', '--app', appId).secret;

// Registers `publicKeyPem` (SPKI PEM) with a service app and returns its kid.
export function addKey(appId, publicKeyPem) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cozeauth-oauth-key-'));
  try {
    const file = path.join(dir, 'public.pem');
    fs.writeFileSync(file, publicKeyPem);
    const k = admin('app', 'key', 'add', '--app', appId, '--public-key-file', file);
    assert.ok(k.kid, JSON.stringify(k));
    return k.kid;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// `admin app authorize --app APP --by USER (--account ACC | --enterprise EID)`.
export function authorizeApp(appId, by, { account, enterprise }) {
  const args = ['app', 'authorize', '--app', appId, '--by', by];
  if (account) args.push('--account', account);
  if (enterprise) args.push('--enterprise', enterprise);
  return admin(...args);
}

export const disableApp = (appId) => admin('app', 'disable', '--app', appId);
export const enableApp = (appId) => admin('app', 'enable', '--app', appId);

// { enterprise_id, default_org_account_id, … }
export const createEnterprise = (name, owner) =>
  admin('enterprise', 'create', '--name', unique(name), '--owner', owner);
