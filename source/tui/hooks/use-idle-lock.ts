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
	const restart = () => {
		clearTimeout(timer.current);
		timer.current = enabled ? setTimeout(() => latest.current(), ms) : undefined;
	};

	useEffect(() => {
		restart();
		return () => clearTimeout(timer.current);
	}, [enabled, ms]);
	useInput(restart, {isActive: enabled});
}
