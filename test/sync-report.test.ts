/**
 * The pieces of what `hush sync` says, without a server: the per-secret pull lines (keys added and
 * removed, by whom, loader variables flagged) with planted names escaped, the page parser that
 * sets a malformed record aside instead of failing the page, and the TUI's status-bar counts.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {syncDetailLines, syncExitCode, syncReportLine} from '../source/commands/shared/sync-client.js';
import type {SyncReport} from '../source/sync/engine.js';
import {parsePulledPage} from '../source/sync/pulled-page.js';
import {loaderWarningLines, pulledChange, pulledChangeLine} from '../source/sync/pull-report.js';
import {syncReportMessage} from '../source/tui/state/sync-state.js';
import type {SealedMeta} from '../source/vault/records.js';
import {osc52, plantedKey, terminalControls} from './helpers/planted.js';

const at = '2026-01-01T00:00:00.000Z';

function meta(name: string, keys: string[], extra: Partial<SealedMeta> = {}): SealedMeta {
	return {name, private: false, type: 'generic', description: '', integration: '', writeOnly: false, keys, createdAt: at, createdBy: 'alice', updatedAt: at, expiresAt: null, ...extra};
}

const emptyReport: SyncReport = {pulled: 0, pushed: 0, merged: 0, conflicts: 0, refused: [], refusedSecrets: [], newlyQuarantined: 0, quarantined: [], changes: [], waitingForTeamKeys: 0, resealed: 0};

test('a pulled change: keys added and removed, the writer, renames, new and deleted secrets', () => {
	const before = meta('github', ['TOKEN', 'OLD_KEY']);
	const after = meta('github', ['TOKEN', 'NODE_OPTIONS'], {updatedBy: 'mallory'});
	const change = pulledChange('id-1', {applied: 'taken', before, after, remote: after})!;
	assert.deepEqual([change.added, change.removed, change.by], [['NODE_OPTIONS'], ['OLD_KEY'], 'mallory']);
	assert.equal(pulledChangeLine(change), 'pulled github: +NODE_OPTIONS −OLD_KEY (by mallory)');
	assert.deepEqual(change.loaderKeys.map(entry => entry.key), ['NODE_OPTIONS']);
	assert.match(loaderWarningLines(change)[0]!, /^warning: mallory added NODE_OPTIONS to github: .*--allow-env NODE_OPTIONS$/);

	const created = meta('fresh', ['API_KEY']);
	assert.equal(pulledChangeLine(pulledChange('id-2', {applied: 'taken', before: null, after: created, remote: created})!), 'pulled fresh: new secret +API_KEY (by alice)');
	const renamed = meta('new-name', ['TOKEN', 'OLD_KEY'], {updatedBy: 'bob'});
	assert.equal(pulledChangeLine(pulledChange('id-1', {applied: 'merged', before, after: renamed, remote: renamed})!), 'pulled new-name (was github): values or details changed (by bob)');
	const deleted = meta('github', ['TOKEN'], {deletedAt: at, updatedBy: 'bob'});
	assert.equal(pulledChangeLine(pulledChange('id-1', {applied: 'taken', before, after: deleted, remote: deleted})!), 'pulled github: deleted (by bob)');
	const old = meta('legacy', ['A', 'B']);
	assert.equal(pulledChangeLine(pulledChange('id-3', {applied: 'taken', before: meta('legacy', ['A']), after: old, remote: old})!), 'pulled legacy: +B (by an unnamed writer)');
	// Nothing to tell: a conflict (reported as such), an echo of our own push, a delete of something never had.
	assert.equal(pulledChange('id-1', {applied: 'conflict', before, after: before, remote: after}), null);
	assert.equal(pulledChange('id-1', {applied: 'unchanged', before, after: before, remote: before}), null);
	assert.equal(pulledChange('id-4', {applied: 'taken', before: null, after: deleted, remote: deleted}), null);
	// Loader variables are matched by family too (LD_*), and regardless of case.
	const preload = meta('libs', ['LD_PRELOAD', 'node_options']);
	assert.deepEqual(pulledChange('id-5', {applied: 'taken', before: null, after: preload, remote: preload})!.loaderKeys.map(entry => entry.key), ['LD_PRELOAD', 'node_options']);
});

test('every line hush sync prints escapes what a record holds; exit 1 while anything is refused or set aside', () => {
	const planted = meta(`evil${osc52}`, [plantedKey], {updatedBy: `mallory${osc52}`});
	const change = pulledChange('id-1', {applied: 'taken', before: null, after: planted, remote: planted})!;
	const report: SyncReport = {
		...emptyReport,
		pulled: 2,
		changes: [change],
		refusedSecrets: [{id: 'id-2', name: `other${osc52}`, reason: 'not_found'}, {id: 'id-3', name: 'shared', reason: 'forbidden'}],
		refused: ['id-2', 'id-3'],
		quarantined: [{id: `odd${osc52}`, rev: null, reason: `invalid secret name "x${osc52}"`}],
	};
	const lines = [syncReportLine(report), ...syncDetailLines(report, {changes: true})];
	for (const line of lines) {
		assert.doesNotMatch(line, terminalControls, line);
	}

	assert.match(lines.join('\n'), /pulled evil\\x1b\]52;c;cHduZWQ=\\x07: new secret \+KEY\\x1b/);
	assert.match(lines.join('\n'), /^refused: the server refused secret other\\x1b.* \(id-2\) \(private to another user there\)/m);
	assert.match(lines.join('\n'), /^refused: the server refused secret shared \(id-3\) \(your role in the team may not change shared secrets\): it was not pushed$/m);
	assert.match(lines.join('\n'), /^quarantined: secret odd\\x1b.*: invalid secret name "x\\x1b/m);
	assert.equal(syncReportLine(report), 'Synced: 2 pulled, 0 pushed, 0 merged, 2 refused by the server, 1 set aside unapplied (quarantined)');
	assert.equal(syncExitCode(report), 1);
	assert.equal(syncExitCode({...report, refused: [], refusedSecrets: []}), 1);
	assert.equal(syncExitCode({...report, quarantined: []}), 1);
	assert.equal(syncExitCode(emptyReport), 0);
	// A clone lists no per-secret lines (everything is new), but the warnings stay.
	const cloned = syncDetailLines({...emptyReport, changes: [pulledChange('id-9', {applied: 'taken', before: null, after: meta('x', ['NODE_OPTIONS']), remote: meta('x', ['NODE_OPTIONS'])})!]}, {changes: false});
	assert.equal(cloned.length, 1);
	assert.match(cloned[0]!, /^warning: alice added NODE_OPTIONS to x/);
});

test('a page with a malformed record: the others parse, the bad one is set aside; a bad page fails whole', () => {
	const good = {id: '00000000-0000-4000-8000-000000000001', rev: 1, deleted: false, private: false, keyGeneration: 1, meta: {nonce: 'AAAA', ciphertext: 'AAAA'}, values: {nonce: 'AAAA', ciphertext: 'AAAA'}};
	const page = parsePulledPage({records: [good, {...good, id: 'not-a-uuid'}, {...good, rev: '2'}, {...good, extra: 1}], cursor: 9, more: false});
	assert.deepEqual(page.records, [good]);
	// Each names the field at fault (the wording is the protocol's own).
	const messages = page.malformed.map(entry => entry.error.message);
	assert.equal(messages.length, 3);
	assert.match(messages[0]!, /^changes\.records\[1\]\.id /);
	assert.match(messages[1]!, /^changes\.records\[2\]\.rev /);
	assert.match(messages[2]!, /^changes\.records\[3\] .*"extra"/);
	assert.deepEqual(page.malformed.map(entry => (entry.raw as {id: string}).id), ['not-a-uuid', good.id, good.id]);
	assert.deepEqual([page.cursor, page.more], [9, false]);
	assert.throws(() => parsePulledPage({records: [good], cursor: -1, more: false}), /changes\.cursor /);
});

test('the TUI status bar counts records set aside, as an error', () => {
	const report = {pulled: 3, pushed: 0, merged: 0, conflicts: 0, refused: [], quarantined: [{id: 'a', rev: 1, reason: 'r'}]};
	assert.deepEqual(syncReportMessage(report, null), {text: 'synced: pulled 3, pushed 0, quarantined 1', tone: 'error'});
	assert.deepEqual(syncReportMessage({...report, quarantined: []}, null), {text: 'synced: pulled 3, pushed 0', tone: 'info'});
});
