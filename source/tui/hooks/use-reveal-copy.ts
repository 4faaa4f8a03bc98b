import {useEffect, useRef} from 'react';
import type {SecretSummary} from '../../vault/model.js';
import {errorMessage} from '../state/browser.js';
import type {BrowserContext} from './browser-context.js';
import {useTimers} from './use-timers.js';

/**
 * `r` and `c` on the selected key: reveal its value for a few seconds, or copy it and overwrite
 * the clipboard later if it still holds that value, also when the app quits before then. How long
 * each lasts comes from the preferences (reveal.seconds, clipboard.clearSeconds) via the services.
 */
export function useRevealAndCopy({vault, services, dispatch, current, listing, say}: BrowserContext): {reveal(): void; copy(): void} {
	const later = useTimers();
	/** The value last copied, until the clipboard has been cleared of it. */
	const copied = useRef<string | null>(null);
	/** Cancels the pending re-mask: a new reveal starts its own full countdown (reveal.seconds). */
	const cancelMask = useRef<() => void>(() => {});

	// Quitting before the 30 s are up still clears what hush put on the clipboard.
	useEffect(
		() => () => {
			if (copied.current !== null) {
				services.clipboard.clearIfUnchanged(copied.current).catch(() => {});
			}
		},
		[services],
	);

	/** Decrypts one value for display or copying; write-only secrets refuse (allowWriteOnly: false). */
	const readSelected = (): {secret: SecretSummary; key: string; value: string} | undefined => {
		const {state, selected} = current();
		if (!selected) {
			return undefined;
		}

		const key = selected.keys[Math.min(state.keyIndex, selected.keys.length - 1)];
		if (key === undefined) {
			return undefined;
		}

		const revealed = vault.revealSecret(selected.id, {allowWriteOnly: false, requireKeys: [key]});
		try {
			const value = revealed.get(key);
			listing.updateSecrets(secrets => secrets.map(secret => (secret.id === revealed.id ? revealed.summary : secret)));
			return {secret: revealed.summary, key, value};
		} finally {
			revealed.wipe();
		}
	};

	const reveal = () => {
		try {
			const read = readSelected();
			if (!read) {
				return;
			}

			const seconds = Math.round(services.revealMs / 1000);
			dispatch({type: 'reveal', revealed: {secretId: read.secret.id, key: read.key, value: read.value}});
			say({text: `showing ${read.key} for ${seconds} s`, tone: 'info'});
			cancelMask.current();
			cancelMask.current = later(services.revealMs, () => dispatch({type: 'mask', secretId: read.secret.id, key: read.key}));
		} catch (error) {
			say(errorMessage(error));
		}
	};

	const copy = () => {
		let read: ReturnType<typeof readSelected>;
		try {
			read = readSelected();
		} catch (error) {
			say(errorMessage(error));
			return;
		}

		if (!read) {
			return;
		}

		const {key, value} = read;
		const seconds = Math.round(services.clipboardClearMs / 1000);
		const {clipboard} = services;
		// Over OSC 52 hush only sends the value to the terminal and cannot tell what it did with it.
		// Short enough for the status bar at 80 columns.
		const copiedText = clipboard.viaTerminal ? `sent ${key} to the terminal's clipboard for ${seconds} s` : `copied ${key} with ${clipboard.method} for ${seconds} s`;
		const overwritten = clipboard.viaTerminal ? "sent a blank over the terminal's clipboard" : `clipboard overwritten with a blank (${clipboard.method})`;
		services.clipboard.copy(value).then(
			() => {
				copied.current = value;
				say({text: copiedText, tone: 'info'});
				later(services.clipboardClearMs, () => {
					if (copied.current === value) {
						copied.current = null;
					}

					services.clipboard.clearIfUnchanged(value).then(
						cleared => {
							if (cleared) {
								say({text: overwritten, tone: 'info'});
							}
						},
						() => say({text: 'could not overwrite the clipboard: clear it by hand', tone: 'error'}),
					);
				});
			},
			(error: unknown) => say({text: `copy failed: ${error instanceof Error ? error.message : String(error)}`, tone: 'error'}),
		);
	};

	return {reveal, copy};
}
