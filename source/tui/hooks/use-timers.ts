import {useEffect, useRef} from 'react';

/**
 * setTimeout that is cancelled when the component unmounts (so no timer outlives the app). It
 * returns a cancel function, for a timer that a newer one replaces (a second reveal of the same
 * key restarts its countdown instead of being masked early by the first).
 */
export function useTimers(): (ms: number, work: () => void) => () => void {
	const timers = useRef(new Set<NodeJS.Timeout>());
	useEffect(
		() => () => {
			for (const timer of timers.current) {
				clearTimeout(timer);
			}
		},
		[],
	);
	return (ms, work) => {
		const timer = setTimeout(() => {
			timers.current.delete(timer);
			work();
		}, ms);
		timers.current.add(timer);
		return () => {
			clearTimeout(timer);
			timers.current.delete(timer);
		};
	};
}
