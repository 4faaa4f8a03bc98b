import {useReducer, useRef} from 'react';

/**
 * useReducer whose newest state is readable at once. Keys can arrive faster than React renders
 * (a paste, key repeat, `tmux send-keys`); each key must see the state the previous key left, not
 * the last rendered one. Dispatch applies the reducer immediately to a ref and asks for a render;
 * the third element reads the latest state, rendered or not.
 */
export function useLatestReducer<S, A>(reducer: (state: S, action: A) => S, initial: S | (() => S)): [S, (action: A) => void, () => S] {
	const ref = useRef<S | undefined>(undefined);
	ref.current ??= typeof initial === 'function' ? (initial as () => S)() : initial;
	const [, render] = useReducer((count: number) => count + 1, 0);
	const dispatch = useRef((action: A) => {
		const next = reducer(ref.current as S, action);
		if (next !== ref.current) {
			ref.current = next;
			render();
		}
	}).current;
	const read = useRef(() => ref.current as S).current;
	return [ref.current, dispatch, read];
}
