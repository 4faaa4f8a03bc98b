/** A label (a keychain account, a Bitwarden field) as an env-var-style key: upper case, anything else `_`, never a leading digit. */
export function envKey(label: string, fallback = 'FIELD'): string {
	const key = label
		.toUpperCase()
		.replace(/[^A-Z0-9_]+/g, '_')
		.replace(/^_+|_+$/g, '')
		.slice(0, 200);
	if (key === '') {
		return fallback;
	}

	return /^[0-9]/.test(key) ? `_${key}` : key;
}
