// The official Coze Node SDK (@coze/api, pinned in package.json) against a cozeauth server,
// unchanged, pointed at it by baseURL (architecture.md §1: the compatibility test).
// run_compat.sh starts the server, creates the tenancy with the admin CLI and exports:
//   COZEAUTH_BASE_URL   the server, e.g. http://127.0.0.1:41234
//   PAT                 every OpenAPI point, all workspaces
//   PAT_NO_META         the same but without getMetadata
//   PAT_REVOKED         revoked with `cozeauth admin token revoke`
//   USER_ID, WORKSPACE_ID, BOT_ID, BOT_PROMPT
// Reply rule of the built-in runtime (docs/runtime.md): prompt + " " + message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  APIError,
  AuthenticationError,
  ChatEventType,
  CozeAPI,
  PermissionDeniedError,
  RoleType,
} from '@coze/api';

function env(name) {
  const v = process.env[name];
  assert.ok(v, `environment variable ${name} must be set (run tests/compat/run_compat.sh)`);
  return v;
}

const baseURL = env('COZEAUTH_BASE_URL');
const userId = env('USER_ID');
const workspaceId = env('WORKSPACE_ID');
const botId = env('BOT_ID');
const prompt = env('BOT_PROMPT');
const client = new CozeAPI({ token: env('PAT'), baseURL });
const reply = (message) => (prompt ? `${prompt} ${message}` : message);
const ID = /^\d{19}$/;

const userText = (content) => ({
  role: RoleType.User,
  content,
  content_type: 'text',
});

// Asserts that `promise` rejects with the SDK's APIError carrying `code`.
async function rejectsWithCode(promise, code, cls) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof APIError, `expected APIError, got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.code, code, `code of ${err.message}`);
    assert.ok(typeof err.msg === 'string' && err.msg.length > 0, 'msg');
    assert.ok(typeof err.logid === 'string' && err.logid.length > 0, 'logid');
    if (cls) assert.ok(err instanceof cls, `expected ${cls.name}, got ${err.constructor.name}`);
    return true;
  });
}

test('users.me returns the token owner', async () => {
  const me = await client.users.me();
  assert.equal(me.user_id, userId);
  assert.equal(typeof me.user_name, 'string');
});

test('workspaces.list lists the workspace', async () => {
  const page = await client.workspaces.list({ page_num: 1, page_size: 20 });
  assert.ok(Array.isArray(page.workspaces));
  assert.equal(typeof page.total_count, 'number');
  const ws = page.workspaces.find((w) => w.id === workspaceId);
  assert.ok(ws, `workspace ${workspaceId} missing from ${JSON.stringify(page)}`);
  assert.equal(ws.role_type, 'owner');
  assert.equal(ws.workspace_type, 'team');
});

test('bots.listNew lists the published bot of a workspace', async () => {
  const page = await client.bots.listNew({ workspace_id: workspaceId, page_num: 1, page_size: 20 });
  assert.equal(typeof page.total, 'number');
  const bot = page.items.find((b) => b.id === botId);
  assert.ok(bot, `bot ${botId} missing from ${JSON.stringify(page)}`);
  assert.equal(bot.is_published, true);
  assert.equal(bot.owner_user_id, userId);
});

test('bots.list (deprecated, /v1/space/published_bots_list) lists the published bot', async () => {
  const page = await client.bots.list({ space_id: workspaceId, page_size: 20, page_index: 1 });
  assert.equal(typeof page.total, 'number');
  const bot = page.space_bots.find((b) => b.bot_id === botId);
  assert.ok(bot, `bot ${botId} missing from ${JSON.stringify(page)}`);
});

test('bots.retrieveNew and bots.retrieve return the bot with its prompt', async () => {
  for (const info of [await client.bots.retrieveNew(botId), await client.bots.retrieve({ bot_id: botId })]) {
    assert.equal(info.bot_id, botId);
    assert.equal(info.prompt_info.prompt, prompt);
    assert.equal(typeof info.name, 'string');
  }
});

test('conversations.create, retrieve and list', async () => {
  const conv = await client.conversations.create({ bot_id: botId, meta_data: { k: 'v' } });
  assert.match(conv.id, ID);
  assert.equal(typeof conv.created_at, 'number');
  assert.deepEqual(conv.meta_data, { k: 'v' });
  const again = await client.conversations.retrieve(conv.id);
  assert.equal(again.id, conv.id);
  const list = await client.conversations.list({ bot_id: botId, page_num: 1, page_size: 50 });
  assert.equal(typeof list.has_more, 'boolean');
  assert.ok(list.conversations.some((c) => c.id === conv.id), JSON.stringify(list));
});

test('chat.create completes and chat.messages.list has the runtime reply', async () => {
  const conv = await client.conversations.create({ bot_id: botId });
  const chat = await client.chat.create({
    bot_id: botId,
    conversation_id: conv.id,
    user_id: 'compat-user',
    additional_messages: [userText('hello')],
  });
  assert.match(chat.id, ID);
  assert.equal(chat.conversation_id, conv.id);
  assert.equal(chat.status, 'completed');
  const messages = await client.chat.messages.list(conv.id, chat.id);
  const answers = messages.filter((m) => m.role === 'assistant' && m.type === 'answer');
  assert.deepEqual(answers.map((m) => m.content), [reply('hello')]);
});

test('chat.createAndPoll (POST /v3/chat/retrieve) returns the chat and its messages', async () => {
  const { chat, messages } = await client.chat.createAndPoll({
    bot_id: botId,
    additional_messages: [userText('poll me')],
  });
  assert.equal(chat.status, 'completed');
  assert.ok(messages.some((m) => m.type === 'answer' && m.content === reply('poll me')),
    JSON.stringify(messages));
});

test('chat.stream yields the events in order and the deltas make the reply', async () => {
  const message = 'stream this please';
  const events = [];
  for await (const part of client.chat.stream({
    bot_id: botId,
    user_id: 'compat-user',
    additional_messages: [userText(message)],
  })) {
    events.push(part);
  }
  const names = events.map((e) => e.event);
  const deltas = events.filter((e) => e.event === ChatEventType.CONVERSATION_MESSAGE_DELTA);
  assert.ok(deltas.length >= 1, `no delta in ${names}`);
  assert.deepEqual(names, [
    ChatEventType.CONVERSATION_CHAT_CREATED,
    ChatEventType.CONVERSATION_CHAT_IN_PROGRESS,
    ...deltas.map(() => ChatEventType.CONVERSATION_MESSAGE_DELTA),
    ChatEventType.CONVERSATION_MESSAGE_COMPLETED,
    ChatEventType.CONVERSATION_CHAT_COMPLETED,
    ChatEventType.DONE,
  ]);
  assert.equal(deltas.map((e) => e.data.content).join(''), reply(message));
  const completed = events.find((e) => e.event === ChatEventType.CONVERSATION_MESSAGE_COMPLETED);
  assert.equal(completed.data.content, reply(message));
  const chatDone = events.find((e) => e.event === ChatEventType.CONVERSATION_CHAT_COMPLETED);
  assert.equal(chatDone.data.status, 'completed');
  assert.equal(events.at(-1).data, '[DONE]');
  // The streamed chat can be retrieved afterwards.
  const chat = await client.chat.retrieve(chatDone.data.conversation_id, chatDone.data.id);
  assert.equal(chat.status, 'completed');
});

test('conversations.messages create, list (cursors), retrieve, update, delete', async () => {
  const conv = await client.conversations.create({ bot_id: botId });
  const ids = [];
  for (const text of ['one', 'two', 'three']) {
    const m = await client.conversations.messages.create(conv.id, userText(text));
    assert.match(m.id, ID);
    assert.equal(m.content, text);
    ids.push(m.id);
  }
  // The SDK returns the whole body: the list and cursors are top-level.
  const page = await client.conversations.messages.list(conv.id, { limit: 2 });
  assert.deepEqual(page.data.map((m) => m.id), [ids[2], ids[1]]);
  assert.equal(page.first_id, ids[2]);
  assert.equal(page.last_id, ids[1]);
  assert.equal(page.has_more, true);
  const next = await client.conversations.messages.list(conv.id, { limit: 2, after_id: page.last_id });
  assert.deepEqual(next.data.map((m) => m.id), [ids[0]]);
  assert.equal(next.has_more, false);

  const got = await client.conversations.messages.retrieve(conv.id, ids[0]);
  assert.equal(got.content, 'one');
  const updated = await client.conversations.messages.update(conv.id, ids[0], {
    content: 'uno',
    content_type: 'text',
  });
  assert.equal(updated.content, 'uno');
  const deleted = await client.conversations.messages.delete(conv.id, ids[1]);
  assert.equal(deleted.id, ids[1]);
  const after = await client.conversations.messages.list(conv.id, { order: 'asc' });
  assert.deepEqual(after.data.map((m) => m.content), ['uno', 'three']);
});

test('conversations.clear starts a new section', async () => {
  const conv = await client.conversations.create({ bot_id: botId });
  const section = await client.conversations.clear(conv.id);
  assert.match(section.id, ID);
  assert.equal(section.conversation_id, conv.id);
  assert.notEqual(section.id, conv.last_section_id);
});

test('files.upload and files.retrieve', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cozeauth-compat-'));
  const file = path.join(dir, 'note.txt');
  fs.writeFileSync(file, 'uploaded by @coze/api\n');
  try {
    const info = await client.files.upload({ file: fs.createReadStream(file) });
    assert.match(info.id, ID);
    assert.equal(info.bytes, 22);
    assert.equal(info.file_name, 'note.txt');
    const again = await client.files.retrieve(info.id);
    assert.equal(again.id, info.id);
    assert.equal(again.bytes, 22);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a revoked token surfaces as AuthenticationError with code 4100', async () => {
  const revoked = new CozeAPI({ token: env('PAT_REVOKED'), baseURL });
  await rejectsWithCode(revoked.users.me(), 4100, AuthenticationError);
  await rejectsWithCode(revoked.bots.retrieveNew(botId), 4100, AuthenticationError);
  // A stream request is refused before streaming with a JSON error body (coze-protocol.md
  // §3.4). With its fetch adapter the SDK does not throw then: it surfaces the body as one
  // `error` event (the unterminated-buffer branch of fetchAPI.stream).
  const events = [];
  for await (const part of revoked.chat.stream({ bot_id: botId, additional_messages: [userText('x')] })) {
    events.push(part);
  }
  assert.equal(events.length, 1, JSON.stringify(events));
  assert.equal(events[0].event, ChatEventType.ERROR);
  assert.equal(events[0].data.code, 4100);
  assert.ok(events[0].data.detail.logid);
});

test('a garbage token surfaces as AuthenticationError with code 4100', async () => {
  const garbage = new CozeAPI({ token: 'garbage-token', baseURL });
  await rejectsWithCode(garbage.workspaces.list(), 4100, AuthenticationError);
  const unknown = new CozeAPI({ token: `pat_${'x'.repeat(64)}`, baseURL });
  await rejectsWithCode(unknown.users.me(), 4100, AuthenticationError);
});

test('a token lacking a point surfaces as PermissionDeniedError with code 4101', async () => {
  const narrow = new CozeAPI({ token: env('PAT_NO_META'), baseURL });
  await rejectsWithCode(narrow.bots.retrieveNew(botId), 4101, PermissionDeniedError);
  await rejectsWithCode(narrow.bots.retrieve({ bot_id: botId }), 4101, PermissionDeniedError);
  // Its other points still work.
  const page = await narrow.bots.listNew({ workspace_id: workspaceId });
  assert.ok(page.items.some((b) => b.id === botId));
});

test('an unknown bot is code 4006', async () => {
  await rejectsWithCode(client.bots.retrieveNew('7000000000000000001'), 4006);
});
