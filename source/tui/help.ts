/**
 * Every key the TUI knows, as shown by `?` (and in the readme). Descriptions fit 23 columns, so 80×24
 * shows them whole. Reveal and clipboard times are preferences (`hush config`), so the status bar,
 * not this table, says how long.
 */
export const helpSections: ReadonlyArray<{title: string; keys: ReadonlyArray<readonly [string, string]>}> = [
	{
		title: 'List and details',
		keys: [
			['↑ ↓  j k', 'move (or between keys)'],
			['PgUp PgDn', 'move a page'],
			['g G  Home End', 'first / last secret'],
			['Enter → Tab', 'into the detail pane'],
			['Esc ←', 'back; clear the filter'],
			['/', 'filter as you type'],
			['o', 'cycle the sort'],
			['r', 'reveal value, briefly'],
			['c', 'copy (blanked later)'],
			['n  e', 'new / edit secret'],
			['d', 'delete (type its name)'],
			['s', 'sync with the remote'],
			['x  Enter', 'conflict view (SYNC)'],
			['m', 'team members'],
			[']  [', 'next / prev conflict'],
			['?', 'this help'],
			['q  Ctrl-C', 'quit'],
		],
	},
	{
		title: 'Filter, form, delete',
		keys: [
			['Enter', 'keep filter, to list'],
			['Esc', 'clear filter / cancel'],
			['Tab ↓  S-Tab ↑', 'next / previous field'],
			['← → Space', 'change a choice'],
			['Ctrl-N', 'add a key'],
			['Ctrl-X', 'remove the focused key'],
			['Ctrl-S', 'save (or Enter on Save)'],
			['Ctrl-U', 'clear the field'],
			['l ←  r →', 'conflict: local/server'],
			['L  R', 'conflict: all one side'],
			['conflict Enter', 'resolve the conflict'],
		],
	},
];
