import {useInput, usePaste} from 'ink';
import {type ReactNode, createContext, useContext, useLayoutEffect, useRef} from 'react';
import {type KeyPress, keyPresses, pasteKeyPress} from '../keys.js';

/**
 * The one owner of keyboard input. It is the app's only `useInput`; screens register a handler
 * with {@link useKeyHandler}, and each key goes to the most recently registered one alone. Ctrl-C
 * never reaches a screen: it always quits.
 */
export type KeyHandler = (key: KeyPress) => void;

type Registry = {register(handler: {current: KeyHandler}): () => void};

const KeyRouterContext = createContext<Registry | null>(null);

export function KeyRouter({onInterrupt, children}: {readonly onInterrupt: () => void; readonly children: ReactNode}) {
	const handlers = useRef<Array<{current: KeyHandler}>>([]);
	const registry = useRef<Registry>({
		register(handler) {
			handlers.current.push(handler);
			return () => {
				handlers.current = handlers.current.filter(candidate => candidate !== handler);
			};
		},
	});

	const deliver = (keyPress: KeyPress) => {
		if (keyPress.ctrl === 'c') {
			onInterrupt();
			return;
		}

		handlers.current.at(-1)?.current(keyPress);
	};

	useInput((input, key) => {
		for (const keyPress of keyPresses(input, key)) {
			deliver(keyPress);
		}
	});
	usePaste(text => {
		deliver(pasteKeyPress(text));
	});

	return <KeyRouterContext value={registry.current}>{children}</KeyRouterContext>;
}

/** Receives keys while the calling component is mounted and is the newest handler. */
export function useKeyHandler(handler: KeyHandler): void {
	const registry = useContext(KeyRouterContext);
	if (!registry) {
		throw new Error('useKeyHandler needs a <KeyRouter> above it');
	}

	const ref = useRef(handler);
	ref.current = handler;
	// A layout effect runs in the same commit that draws the screen, so a key typed the moment the
	// screen appears already reaches it (a passive effect could still be pending then).
	useLayoutEffect(() => registry.register(ref), [registry]);
}
