import {describeError} from '../../errors.js';
import type {SecretSummary} from '../../vault/model.js';
import type {Vault} from '../../vault/vault.js';
import type {KeyPress} from '../keys.js';
import {type FormState, formReducer} from '../state/form.js';
import {formCommand} from '../state/form-keys.js';
import {type Submission, type ValueReaders, planSubmission} from '../state/form-submit.js';
import {useLatestReducer} from './use-latest-reducer.js';

export type FormOptions = {
	vault: Vault;
	readers: ValueReaders;
	initial: FormState;
	onSaved(secret: SecretSummary, message: string): void;
	onCancel(): void;
};

/** Writes what the form planned. A rename goes first, so a taken name fails before anything changes. */
function store(vault: Vault, submission: Submission): {secret: SecretSummary; message: string} {
	if (submission.kind === 'create') {
		const secret = vault.createSecret(submission.name, submission.values, submission.options);
		return {secret, message: `created ${secret.name}`};
	}

	if (submission.rename !== null) {
		vault.renameSecret(submission.id, submission.rename);
	}

	const secret = vault.updateSecret(submission.id, submission.changes);
	return {secret, message: `saved ${secret.name}`};
}

/** The form's behaviour: keys to reducer actions, and on submit: validate, read values, store. */
export function useForm({vault, readers, initial, onSaved, onCancel}: FormOptions): {form: FormState; onKey(key: KeyPress): void} {
	const [form, dispatch, readForm] = useLatestReducer(formReducer, initial);

	const submit = async () => {
		const form = readForm();
		dispatch({type: 'saving'});
		const planned = await planSubmission(form, readers);
		if (!planned.ok) {
			dispatch({type: 'failed', errors: planned.errors});
			return;
		}

		try {
			const {secret, message} = store(vault, planned.submission);
			onSaved(secret, message);
		} catch (error) {
			const text = describeError(error);
			const field = /name|exists/i.test(text) && !/key/i.test(text) ? 'name' : 'form';
			dispatch({type: 'failed', errors: {[field]: text}});
		}
	};

	const onKey = (key: KeyPress) => {
		const form = readForm();
		const command = formCommand(form, key);
		switch (command.kind) {
			case 'dispatch': {
				dispatch(command.action);
				break;
			}

			case 'submit': {
				if (!form.saving) {
					void submit();
				}

				break;
			}

			case 'cancel': {
				if (!form.saving) {
					onCancel();
				}

				break;
			}

			case 'none': {
				break;
			}
		}
	};

	return {form, onKey};
}
