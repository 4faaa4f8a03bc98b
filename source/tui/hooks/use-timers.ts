import {useEffect, useRef} from 'react';

/** setTimeout that is cancelled when the component unmounts (so no timer outlives the app). */
export function useTimers(): (ms: number, work: () => void) => void {
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
	};
}
