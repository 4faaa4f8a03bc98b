/**
 * Edit distance with adjacent transpositions counted as one edit (optimal string alignment), so a
 * swapped pair of letters — the commonest typo, `lsit` — is as near as one wrong letter.
 */
export function editDistance(a: string, b: string): number {
	const rows = Array.from({length: a.length + 1}, (_, index) => [index, ...Array.from({length: b.length}, () => 0)]);
	for (let column = 1; column <= b.length; column++) {
		rows[0]![column] = column;
	}

	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				best = Math.min(best, rows[i - 2]![j - 2]! + 1);
			}

			rows[i]![j] = best;
		}
	}

	return rows[a.length]![b.length]!;
}

/**
 * The candidate nearest to what was typed, if it is near enough to be a typo: at most one edit for
 * short words, two from five letters on. A prefix of exactly one candidate counts too (`stat` →
 * status). Ties go to the earlier candidate.
 */
export function nearestName(typed: string, candidates: readonly string[]): string | undefined {
	const word = typed.toLowerCase();
	if (word === '' || word.length > 64) {
		return undefined;
	}

	const allowed = word.length >= 5 ? 2 : 1;
	let best: {name: string; distance: number} | undefined;
	for (const name of candidates) {
		const distance = editDistance(word, name);
		if (distance <= allowed && (best === undefined || distance < best.distance)) {
			best = {name, distance};
		}
	}

	if (best) {
		return best.name;
	}

	const prefixed = candidates.filter(name => word.length >= 2 && name.startsWith(word));
	return prefixed.length === 1 ? prefixed[0] : undefined;
}
