import {maxNameLength} from '../../vault/model.js';

/**
 * A title from another tool ("GitHub (work)", "AWS – prod") as a hush name: lower case, accents
 * dropped, every run of other characters one '-', starting with a letter or digit.
 */
export function hushName(title: string): string {
	const name = title
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^a-z0-9._-]+/g, '-')
		.replace(/^[^a-z0-9]+/, '')
		.replace(/-+$/, '')
		.slice(0, maxNameLength - 8);
	return name === '' ? 'item' : name;
}

/** `name`, or name-2, name-3 … when the file already used it; the result is added to `taken`. */
export function uniqueName(name: string, taken: Set<string>): string {
	let unique = name;
	for (let suffix = 2; taken.has(unique); suffix++) {
		unique = `${name}-${suffix}`;
	}

	taken.add(unique);
	return unique;
}
