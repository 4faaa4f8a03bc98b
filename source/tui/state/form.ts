import {type SecretSummary, type SecretType, secretTypes} from '../../vault/model.js';
import {type TextEdit, editText} from './text.js';

/**
 * The create/edit form as a pure reducer. Fields are addressed by id; {@link formFields} lists
 * the ones on screen in order (a key row shows the fields its value source needs), and `focus`
 * indexes that list. Nothing here touches the vault: submitting is {@link planSubmission}'s job.
 */
export const valueSources = ['typed', 'env', 'file', 'keychain'] as const;
export type ValueSource = (typeof valueSources)[number] | 'keep';

export const sourceLabels: Record<ValueSource, string> = {
	keep: 'unchanged',
	typed: 'typed (hidden)',
	env: 'environment variable',
	file: 'file',
	keychain: 'OS keychain',
};

export type KeyRow = {
	rowId: number;
	key: string;
	/** The key's name in the stored secret, for rows an edit started with. */
	original: string | null;
	source: ValueSource;
	typed: string;
	variable: string;
	path: string;
	service: string;
	account: string;
};

export type RowText = 'key' | 'typed' | 'variable' | 'path' | 'service' | 'account';
export type FieldId =
	| 'name'
	| 'private'
	| 'type'
	| 'description'
	| 'integration'
	| 'expires'
	| 'writeOnly'
	| `row:${number}:${RowText | 'source'}`
	| 'addKey'
	| 'save';

export type FormState = {
	mode: 'create' | 'edit';
	/** The secret being edited. */
	target: SecretSummary | null;
	name: string;
	private: boolean;
	type: SecretType;
	description: string;
	integration: string;
	writeOnly: boolean;
	/** As typed: '' or never for none, a duration (30d) or a date; checked like `--expires` on save. */
	expires: string;
	rows: KeyRow[];
	nextRowId: number;
	focus: number;
	/** What the form held when it opened, to tell whether Esc would drop anything. */
	baseline: string;
	/** Esc was pressed on a changed form: "discard changes? y/n" is asked. */
	confirmDiscard: boolean;
	/** Inline messages by field; 'form' for the whole form. */
	errors: Partial<Record<FieldId | 'form', string>>;
	saving: boolean;
};

export type FormAction =
	| {type: 'next'}
	| {type: 'previous'}
	| {type: 'edit'; edit: TextEdit}
	| {type: 'cycle'; delta: number}
	| {type: 'addKey'}
	| {type: 'removeKey'}
	| {type: 'saving'}
	| {type: 'failed'; errors: FormState['errors']}
	| {type: 'askDiscard'}
	| {type: 'keepEditing'};

function blankRow(rowId: number, source: ValueSource = 'typed'): KeyRow {
	return {rowId, key: '', original: null, source, typed: '', variable: '', path: '', service: '', account: ''};
}

/** The parts of the form a person fills in, as one comparable string. */
export function formContent(state: FormState): string {
	const {name, private: isPrivate, type, description, integration, writeOnly, expires, rows} = state;
	return JSON.stringify([name, isPrivate, type, description, integration, writeOnly, expires, rows.map(({rowId: _rowId, ...row}) => row)]);
}

/** Whether Esc would drop something typed or chosen since the form opened. */
export function isChanged(state: FormState): boolean {
	return formContent(state) !== state.baseline;
}

function withBaseline(state: FormState): FormState {
	return {...state, baseline: formContent(state)};
}

export function newForm(): FormState {
	return withBaseline({
		mode: 'create',
		target: null,
		name: '',
		private: false,
		type: 'generic',
		description: '',
		integration: '',
		writeOnly: false,
		expires: '',
		rows: [blankRow(0)],
		nextRowId: 1,
		focus: 0,
		baseline: '',
		confirmDiscard: false,
		errors: {},
		saving: false,
	});
}

/** An edit form: metadata filled in, one row per stored key whose value stays unless changed. */
export function editForm(secret: SecretSummary): FormState {
	return withBaseline({
		...newForm(),
		mode: 'edit',
		target: secret,
		name: secret.name,
		private: secret.private,
		type: secret.type,
		description: secret.description,
		integration: secret.integration,
		writeOnly: secret.writeOnly,
		expires: secret.expiresAt ?? '',
		rows: secret.keys.map((key, index) => ({...blankRow(index, 'keep'), key, original: key})),
		nextRowId: secret.keys.length,
	});
}

export function rowFields(row: KeyRow): FieldId[] {
	const id = (part: RowText | 'source'): FieldId => `row:${row.rowId}:${part}`;
	const value: Record<ValueSource, FieldId[]> = {
		keep: [],
		typed: [id('typed')],
		env: [id('variable')],
		file: [id('path')],
		keychain: [id('service'), id('account')],
	};
	return [id('key'), id('source'), ...value[row.source]];
}

export function formFields(state: FormState): FieldId[] {
	return ['name', 'private', 'type', 'description', 'integration', 'expires', 'writeOnly', ...state.rows.flatMap(row => rowFields(row)), 'addKey', 'save'];
}

export function focusedField(state: FormState): FieldId {
	const fields = formFields(state);
	return fields[Math.min(state.focus, fields.length - 1)]!;
}

export function parseRowField(field: FieldId): {rowId: number; part: RowText | 'source'} | undefined {
	const match = /^row:(\d+):(\w+)$/.exec(field);
	return match ? {rowId: Number(match[1]), part: match[2] as RowText | 'source'} : undefined;
}

/** Fields that take typed text (the others are toggles, choices or buttons). */
export function isTextField(field: FieldId): boolean {
	if (field === 'name' || field === 'description' || field === 'integration' || field === 'expires') {
		return true;
	}

	const row = parseRowField(field);
	return row !== undefined && row.part !== 'source';
}

function updateRow(state: FormState, rowId: number, change: (row: KeyRow) => KeyRow): FormState {
	return {...state, rows: state.rows.map(row => (row.rowId === rowId ? change(row) : row))};
}

function withoutError(state: FormState, field: FieldId): FormState {
	if (state.errors[field] === undefined && state.errors.form === undefined) {
		return state;
	}

	const {[field]: _dropped, form: _form, ...errors} = state.errors;
	return {...state, errors};
}

function cycle<T>(list: readonly T[], current: T, delta: number): T {
	const index = list.indexOf(current);
	return list[(index + delta + list.length * 2) % list.length]!;
}

export function formReducer(state: FormState, action: FormAction): FormState {
	if (state.saving && action.type !== 'failed') {
		return state;
	}

	if (action.type === 'askDiscard' || action.type === 'keepEditing') {
		return {...state, confirmDiscard: action.type === 'askDiscard'};
	}

	const field = focusedField(state);
	switch (action.type) {
		case 'next': {
			return {...state, focus: Math.min(state.focus + 1, formFields(state).length - 1)};
		}

		case 'previous': {
			return {...state, focus: Math.max(state.focus - 1, 0)};
		}

		case 'edit': {
			if (field === 'name' || field === 'description' || field === 'integration' || field === 'expires') {
				return withoutError({...state, [field]: editText(state[field], action.edit)}, field);
			}

			const row = parseRowField(field);
			if (!row || row.part === 'source') {
				return state;
			}

			const part = row.part;
			return withoutError(
				updateRow(state, row.rowId, current => ({...current, [part]: editText(current[part], action.edit)})),
				field,
			);
		}

		case 'cycle': {
			if (field === 'private' || field === 'writeOnly') {
				return withoutError({...state, [field]: !state[field]}, field);
			}

			if (field === 'type') {
				return {...state, type: cycle(secretTypes, state.type, action.delta)};
			}

			const row = parseRowField(field);
			if (!row || row.part !== 'source') {
				return state;
			}

			return withoutError(
				updateRow(state, row.rowId, current => {
					const choices: readonly ValueSource[] = current.original === null ? valueSources : ['keep', ...valueSources];
					return {...current, source: cycle(choices, current.source, action.delta)};
				}),
				field,
			);
		}

		case 'addKey': {
			const row = blankRow(state.nextRowId);
			const rows = [...state.rows, row];
			const next = {...state, rows, nextRowId: state.nextRowId + 1};
			return {...next, focus: formFields(next).indexOf(`row:${row.rowId}:key`)};
		}

		case 'removeKey': {
			const row = parseRowField(field);
			if (!row) {
				return state;
			}

			const next = {...state, rows: state.rows.filter(current => current.rowId !== row.rowId)};
			return {...next, focus: Math.min(state.focus, formFields(next).length - 1)};
		}

		case 'saving': {
			return {...state, saving: true, errors: {}};
		}

		case 'failed': {
			const fields = formFields(state);
			const first = fields.findIndex(id => action.errors[id] !== undefined);
			return {...state, saving: false, errors: action.errors, focus: first === -1 ? state.focus : first};
		}
	}
}
