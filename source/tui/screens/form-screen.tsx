import type {SecretSummary} from '../../vault/model.js';
import type {Vault} from '../../vault/vault.js';
import {FormView} from '../components/form-view.js';
import {useKeyHandler} from '../hooks/key-router.js';
import {useForm} from '../hooks/use-form.js';
import type {FormState} from '../state/form.js';
import type {ValueReaders} from '../state/form-submit.js';

export type FormScreenProps = {
	readonly vault: Vault;
	readonly readers: ValueReaders;
	readonly initial: FormState;
	readonly width: number;
	readonly height: number;
	readonly onSaved: (secret: SecretSummary, message: string) => void;
	readonly onCancel: () => void;
};

/** New or edit: takes the keyboard while it is open (it is the newest key handler). */
export function FormScreen({vault, readers, initial, width, height, onSaved, onCancel}: FormScreenProps) {
	const {form, onKey} = useForm({vault, readers, initial, onSaved, onCancel});
	useKeyHandler(onKey);
	return <FormView form={form} width={width} height={height} />;
}
