import {createContext, useContext} from 'react';

/**
 * Semantic colours. With NO_COLOR set every colour is undefined, so Ink prints plain text;
 * emphasis that is not colour (bold, inverse for the selected row) stays, as no-color.org asks.
 */
export type Theme = {
	accent: string | undefined;
	muted: string | undefined;
	error: string | undefined;
	success: string | undefined;
	secret: string | undefined;
	border: string | undefined;
};

const colours: Theme = {accent: 'cyan', muted: 'gray', error: 'red', success: 'green', secret: 'yellow', border: 'gray'};
const plain: Theme = {accent: undefined, muted: undefined, error: undefined, success: undefined, secret: undefined, border: undefined};

export function themeFor(env: NodeJS.ProcessEnv): Theme {
	const noColor = env['NO_COLOR'];
	return noColor !== undefined && noColor !== '' ? plain : colours;
}

export const ThemeContext = createContext<Theme>(colours);

export function useTheme(): Theme {
	return useContext(ThemeContext);
}
