import {useInput} from 'ink';
import {useEffect, useRef} from 'react';

/**
 * Calls `onIdle` once `ms` pass with no key pressed while `active` (0 ms: never). Any input restarts
 * the clock. It listens beside the key router rather than through it: it only needs to know that
 * a key arrived, not what it meant, whichever screen or overlay handles it.
 */
export function useIdleLock(ms: number, active: boolean, onIdle: () => void): void {
	const enabled = active && ms > 0;
	const timer = useRef<NodeJS.Timeout | undefined>(undefined);
	const latest = useRef(onIdle);
	latest.current = onIdle;
	/** False once unmounted: the key that quits reaches this listener after the app is gone. */
	const mounted = useRef(true);
	const restart = () => {
		clearTimeout(timer.current);
		timer.current = enabled && mounted.current ? setTimeout(() => latest.current(), ms) : undefined;
		// Waiting to lock is never a reason to keep the process alive.
		timer.current?.unref();
	};

	useEffect(() => {
		mounted.current = true;
		restart();
		return () => {
			mounted.current = false;
			clearTimeout(timer.current);
		};
	}, [enabled, ms]);
	useInput(restart, {isActive: enabled});
}
