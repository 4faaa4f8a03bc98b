/** Every key the TUI knows, as shown by `?` (and copied into the readme). */
export const helpSections: ReadonlyArray<{title: string; keys: ReadonlyArray<readonly [string, string]>}> = [
	{
		title: 'List and details',
		keys: [
			['↑ ↓  j k', 'move (keys, in the detail pane)'],
			['PgUp PgDn', 'move a page'],
			['g G  Home End', 'first / last secret'],
			['Enter → Tab', 'into the detail pane'],
			['Esc ←', 'back to the list; clear filter'],
			['/', 'filter as you type (fuzzy)'],
			['o', 'sort: name, updated, used'],
			['r', 'reveal the value for a moment'],
			['c', 'copy the value (cleared in 30 s)'],
			['n  e', 'new secret / edit this one'],
			['d', 'delete (type the name)'],
			['s', 'sync'],
			['?', 'this help'],
			['q  Ctrl-C', 'quit'],
		],
	},
	{
		title: 'Filter, form, delete',
		keys: [
			['Enter', 'keep the filter, back to the list'],
			['Esc', 'clear the filter / cancel'],
			['Tab ↓  S-Tab ↑', 'next / previous field'],
			['← → Space', 'change a choice'],
			['Ctrl-N', 'add a key'],
			['Ctrl-X', 'remove the focused key'],
			['Ctrl-S', 'save (or Enter on Save)'],
			['Ctrl-U', 'clear the field'],
		],
	},
];
