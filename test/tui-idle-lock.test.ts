/**
 * The idle lock's clock (source/tui/hooks/use-idle-lock.ts), with Node's mock timers: any key
 * restarts it, 0 turns it off, and it never fires after the app is gone. The whole lock, in a
 * real terminal and driven by hush config, is in tui-preferences.test.ts.
 */
import assert from 'node:assert/strict';
import {test, type TestContext} from 'node:test';
import {Text} from 'ink';
import {createElement as h} from 'react';
import {useIdleLock} from '../source/tui/hooks/use-idle-lock.js';
import {renderAt} from './helpers/ink.js';

function Idle({ms, active, onIdle}: {readonly ms: number; readonly active: boolean; readonly onIdle: () => void}) {
	useIdleLock(ms, active, onIdle);
	return h(Text, null, `idle clock ${active ? 'on' : 'off'}`);
}

/** Lets React run its effects and Ink deliver input (neither uses the mocked setTimeout). */
async function settle(): Promise<void> {
	for (let round = 0; round < 5; round++) {
		await new Promise(resolve => setImmediate(resolve));
	}
}

function mockTimers(t: TestContext): (ms: number) => void {
	t.mock.timers.enable({apis: ['setTimeout']});
	return ms => t.mock.timers.tick(ms);
}

test('fires once after the idle time; each key restarts the clock', async t => {
	const tick = mockTimers(t);
	let fired = 0;
	const app = renderAt(h(Idle, {ms: 1000, active: true, onIdle: () => fired++}));
	t.after(() => app.unmount());
	await settle();
	tick(900);
	assert.equal(fired, 0);
	app.keys('j');
	await settle();
	tick(900);
	assert.equal(fired, 0, 'a key 900 ms in restarts the 1000 ms clock');
	tick(100);
	assert.equal(fired, 1);
	tick(5000);
	assert.equal(fired, 1, 'it does not fire again without a new key');
});

test('0 ms or an inactive clock never fires; unmounting cancels it', async t => {
	const tick = mockTimers(t);
	let fired = 0;
	const off = renderAt(h(Idle, {ms: 0, active: true, onIdle: () => fired++}));
	const inactive = renderAt(h(Idle, {ms: 1000, active: false, onIdle: () => fired++}));
	await settle();
	off.keys('j');
	inactive.keys('j');
	await settle();
	tick(60_000);
	assert.equal(fired, 0);
	off.unmount();
	inactive.unmount();

	const gone = renderAt(h(Idle, {ms: 1000, active: true, onIdle: () => fired++}));
	await settle();
	gone.unmount();
	tick(60_000);
	assert.equal(fired, 0);
});
