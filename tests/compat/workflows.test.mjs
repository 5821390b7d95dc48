// The official Coze Node SDK (@coze/api, the version pinned in package.json) running workflows
// against a cozeauth server (issue 13; docs/api.md "Workflows and apps"): workflows.runs.create
// (sync and is_async), workflows.runs.stream, workflows.runs.resume (stream_resume, exactly
// once), workflows.runs.history and workflows.chat.stream, and the codes the SDK raises
// (4101 without `run`, 4200 unknown workflow, 4315 second resume). The installed SDK has no
// apps resource; GET /v1/apps is covered by tests/integration/workflow_test.cpp. Fixtures are
// made with the operator CLI (cli.mjs), from COZEAUTH_BASE_URL, COZEAUTH_BIN and COZEAUTH_DB,
// which run_compat.sh exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  APIError,
  ChatEventType,
  CozeAPI,
  NotFoundError,
  PermissionDeniedError,
  RoleType,
  WorkflowEventType,
} from '@coze/api';

import { admin, createUser, createWorkspace } from './cli.mjs';

const baseURL = process.env.COZEAUTH_BASE_URL;
assert.ok(baseURL, 'COZEAUTH_BASE_URL must be set (run tests/compat/run_compat.sh)');
const ID = /^\d{19}$/;
const POINTS = ['run', 'listRunHistory', 'listWorkflow', 'getMetaData', 'listApp'];

const GREETING = {
  inputs: [{ name: 'name', type: 'string', required: true }],
  nodes: [{ id: 'greet', type: 'template', template: 'Hello, {{name}}!' }],
  outputs: [{ name: 'output', type: 'string', value: '{{greet}}' }],
};
const ASK_DAY = {
  inputs: [{ name: 'city', type: 'string', required: true }],
  nodes: [
    { id: 'ask', type: 'question', question: 'Which day in {{city}}?' },
    { id: 'say', type: 'message', template: '{{city}} on {{ask}}' },
  ],
  outputs: [{ name: 'plan', value: '{{say}}' }],
};
const ECHO = {
  inputs: [{ name: 'USER_INPUT', type: 'string', required: true }],
  nodes: [{ id: 'r', type: 'template', template: 'You said: {{USER_INPUT}}' }],
  outputs: [{ name: 'output', value: '{{r}}' }],
};

// The world of this file: a user, a team workspace, three published workflows, a PAT with the
// workflow points and one without `run`.
const user = createUser('workflows');
const workspaceId = createWorkspace(user.id, user.id, 'Workflows');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cozeauth-workflows-'));
function createWorkflow(name, definition) {
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(definition));
  return admin('workflow', 'create', '--workspace', workspaceId, '--name', name,
    '--definition', file, '--publish').id;
}
const greeting = createWorkflow('greet', GREETING);
const askDay = createWorkflow('ask', ASK_DAY);
const echo = createWorkflow('echo', ECHO);
fs.rmSync(dir, { recursive: true, force: true });
const pat = (name, points) => admin('pat', 'create', '--user', user.id, '--days', '7',
  '--name', name, '--workspaces', 'all', '--workspace-permissions', points.join(',')).token;
const client = new CozeAPI({ token: pat('all', POINTS), baseURL });
const noRun = new CozeAPI({ token: pat('no-run', POINTS.filter((p) => p !== 'run')), baseURL });

async function rejectsWithCode(promise, code, cls) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof APIError, `expected APIError, got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.code, code, `code of ${err.message}`);
    if (cls) assert.ok(err instanceof cls, `expected ${cls.name}, got ${err.constructor.name}`);
    return true;
  });
}

// A stream refused before streaming answers a JSON error body (coze-protocol.md §3.4). The
// SDK's fetch adapter does not throw then: it yields the body as one `error` event (as the chat
// stream does in compat.test.mjs).
async function streamRefused(stream, code) {
  const events = await collect(stream);
  assert.equal(events.length, 1, JSON.stringify(events));
  assert.equal(events[0].event, 'error');
  assert.equal(events[0].data.code, code, JSON.stringify(events[0].data));
}

async function collect(stream) {
  const events = [];
  for await (const e of stream) events.push(e);
  return events;
}

test('workflows.runs.create runs a workflow and answers its output', async () => {
  const res = await client.workflows.runs.create({
    workflow_id: greeting,
    parameters: { name: 'Ada' },
  });
  assert.equal(res.data, '{"output":"Hello, Ada!"}');
  assert.match(res.execute_id, ID);
  assert.ok(res.debug_url.includes(res.execute_id), res.debug_url);
});

test('workflows.runs.create with is_async lands in workflows.runs.history', async () => {
  const res = await client.workflows.runs.create({
    workflow_id: greeting,
    parameters: { name: 'Bo' },
    is_async: true,
  });
  assert.match(res.execute_id, ID);
  const history = await client.workflows.runs.history(greeting, res.execute_id);
  assert.equal(history.length, 1);
  assert.equal(history[0].execute_id, res.execute_id);
  assert.equal(history[0].execute_status, 'Success');
  assert.equal(history[0].output, '{"output":"Hello, Bo!"}');
});

test('workflows.runs.stream yields Message then Done', async () => {
  const events = await collect(await client.workflows.runs.stream({
    workflow_id: greeting,
    parameters: { name: 'Cy' },
  }));
  assert.deepEqual(events.map((e) => [e.id, e.event]),
    [[0, WorkflowEventType.MESSAGE], [1, WorkflowEventType.DONE]]);
  assert.equal(events[0].data.content, '{"output":"Hello, Cy!"}');
  assert.equal(events[0].data.node_title, 'End');
  assert.equal(events[0].data.node_seq_id, '0');
  assert.equal(events[0].data.node_is_finish, true);
});

test('workflows.runs.stream interrupts and workflows.runs.resume continues, once', async () => {
  const first = await collect(await client.workflows.runs.stream({
    workflow_id: askDay,
    parameters: { city: 'Paris' },
  }));
  assert.equal(first[0].event, WorkflowEventType.INTERRUPT);
  assert.equal(first[0].data.node_title, 'ask');
  const { event_id: eventId, type } = first[0].data.interrupt_data;
  assert.equal(first.at(-1).event, WorkflowEventType.DONE);

  const resume = () => client.workflows.runs.resume({
    workflow_id: askDay,
    event_id: eventId,
    resume_data: 'Monday morning',
    interrupt_type: type,
  });
  const second = await collect(await resume());
  assert.deepEqual(second.map((e) => e.event), [WorkflowEventType.MESSAGE,
    WorkflowEventType.MESSAGE, WorkflowEventType.DONE]);
  assert.equal(second[0].data.content, 'Paris on Monday morning');
  assert.equal(second[1].data.content, '{"plan":"Paris on Monday morning"}');
  // The event is consumed.
  await streamRefused(await resume(), 4315);

  const executeId = eventId.split('/')[0];
  const history = await client.workflows.runs.history(askDay, executeId);
  assert.equal(history[0].execute_status, 'Success');
  assert.equal(history[0].output, '{"plan":"Paris on Monday morning"}');
});

test('workflows.chat.stream answers with the workflow output', async () => {
  const events = await collect(await client.workflows.chat.stream({
    workflow_id: echo,
    additional_messages: [{ role: RoleType.User, content: 'hello there', content_type: 'text' }],
  }));
  assert.equal(events[0].event, ChatEventType.CONVERSATION_CHAT_CREATED);
  assert.equal(events.at(-1).event, ChatEventType.DONE);
  const deltas = events.filter((e) => e.event === ChatEventType.CONVERSATION_MESSAGE_DELTA)
    .map((e) => e.data.content).join('');
  assert.equal(deltas, 'You said: hello there');
  const completed = events.find((e) => e.event === ChatEventType.CONVERSATION_CHAT_COMPLETED);
  assert.equal(completed.data.status, 'completed');
});

test('errors come back as the SDK error classes', async () => {
  await rejectsWithCode(noRun.workflows.runs.create({
    workflow_id: greeting,
    parameters: { name: 'x' },
  }), 4101, PermissionDeniedError);
  await rejectsWithCode(
    client.workflows.runs.create({ workflow_id: '7000000000000000001', parameters: {} }),
    4200, NotFoundError);
  await rejectsWithCode(
    client.workflows.runs.history(greeting, '7000000000000000001'), 4314);
  await streamRefused(await noRun.workflows.runs.stream({
    workflow_id: greeting,
    parameters: { name: 'x' },
  }), 4101);
});
