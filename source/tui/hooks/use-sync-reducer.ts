import {useReducer, useRef} from 'react';

/**
 * useReducer whose newest state is readable at once. Keys can arrive faster than React renders
 * (a paste, key repeat, `tmux send-keys`); each key must see the state the previous key left, not
 * the last rendered one. Dispatch applies the reducer immediately to a ref and asks for a render.
 */
export function useSyncReducer<S, A>(reducer: (state: S, action: A) => S, initial: S | (() => S)): [S, (action: A) => void, () => S] {
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

/** Remembers the last result of `compute` for the same inputs (compared by identity). */
export function lastResult<I extends readonly unknown[], R>(compute: (...inputs: I) => R): (...inputs: I) => R {
	let lastInputs: I | undefined;
	let last: R;
	return (...inputs) => {
		if (!lastInputs || inputs.length !== lastInputs.length || inputs.some((input, index) => input !== lastInputs![index])) {
			last = compute(...inputs);
			lastInputs = inputs;
		}

		return last;
	};
}
