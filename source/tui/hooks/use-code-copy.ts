import {useEffect, useRef} from 'react';
import {describeError} from '../../errors.js';
import {visible} from '../../text/visible.js';
import type {TuiServices} from '../services.js';
import type {Tone} from '../state/members.js';

/**
 * `c` on an invite code: the code is a secret until it is used, and too long to select cleanly
 * out of a bordered panel, so it goes to the clipboard, and is blanked there after
 * clipboard.clearSeconds, as a copied value is (also when the view closes first).
 */
export function useCodeCopy(services: TuiServices, say: (message: {text: string; tone: Tone}) => void): (code: string, user: string) => void {
	const copied = useRef<string | null>(null);
	const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
	const mounted = useRef(true);
	useEffect(() => {
		mounted.current = true;
		return () => {
			mounted.current = false;
			clearTimeout(timer.current);
			if (copied.current !== null) {
				services.clipboard.clearIfUnchanged(copied.current).catch(() => undefined);
			}
		};
	}, []);

	return (code, user) => {
		const {clipboard, clipboardClearMs} = services;
		const seconds = Math.round(clipboardClearMs / 1000);
		clipboard.copy(code).then(
			() => {
				copied.current = code;
				clearTimeout(timer.current);
				timer.current = setTimeout(() => {
					clipboard.clearIfUnchanged(code).then(
						() => {
							copied.current = null;
						},
						() => undefined,
					);
				}, clipboardClearMs);
				if (mounted.current) {
					say({text: `${clipboard.viaTerminal ? 'sent' : 'copied'} the code for ${visible(user)} (${clipboard.method}); blanked in ${seconds} s`, tone: 'info'});
				}
			},
			(error: unknown) => {
				if (mounted.current) {
					say({text: `could not copy the code: ${describeError(error)}`, tone: 'error'});
				}
			},
		);
	};
}
