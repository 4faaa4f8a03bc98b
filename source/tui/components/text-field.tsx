import {Text} from 'ink';
import {useTheme} from '../theme.js';
import {visible} from '../../text/visible.js';

export type TextFieldProps = {
	readonly label: string;
	readonly value: string;
	/** Show bullets instead of the text (passphrases, typed secret values). */
	readonly hidden?: boolean;
	readonly focused: boolean;
	/** Columns for the label, so fields line up. */
	readonly labelWidth?: number;
	readonly placeholder?: string;
	/** Columns available for the value. */
	readonly width: number;
};

/** Bullets for hidden text: capped, so a glance gives no more than "something is typed". */
export function bullets(value: string): string {
	return '•'.repeat(Math.min([...value].length, 12));
}

/** One line: label, value (or bullets), and a cursor block when focused. Editing lives in the reducers. */
export function TextField({label, value, hidden = false, focused, labelWidth = label.length, placeholder = '', width}: TextFieldProps) {
	const theme = useTheme();
	// The form opens with a secret's stored description and integration: shown escaped, never raw.
	const shown = hidden ? bullets(value) : visible(value);
	const room = Math.max(1, width - labelWidth - 3);
	const chars = [...shown];
	const tail = chars.length > room ? `…${chars.slice(chars.length - room + 1).join('')}` : shown;
	return (
		<Text wrap="truncate">
			<Text color={focused ? theme.accent : undefined} bold={focused}>
				{focused ? '›' : ' '} {label.padEnd(labelWidth)}{' '}
			</Text>
			{tail === '' && !focused ? <Text color={theme.muted}>{placeholder}</Text> : <Text>{tail}</Text>}
			{focused ? <Text inverse> </Text> : null}
		</Text>
	);
}
