import {loaderVariable} from '../runtime/loader-variables.js';
import {visible} from '../text/visible.js';
import type {Outcome} from './reconcile.js';

/**
 * What a pull changed, secret by secret: which keys it added or removed and who wrote the
 * revision (its sealed `updatedBy`; teams will make that an identity). A pulled key that changes
 * how a program loads or starts (runtime/loader-variables.ts) is flagged: a teammate adding
 * NODE_OPTIONS to a shared secret must not pass as "1 pulled".
 */

export type PulledChange = {
	id: string;
	name: string;
	/** The name before the pull, when the pull renamed it. */
	previousName: string | null;
	created: boolean;
	deleted: boolean;
	added: string[];
	removed: string[];
	/** Who wrote the pulled revision; null when it does not say (written by an older hush). */
	by: string | null;
	/** Added keys that are loader variables, each with why it is dangerous. */
	loaderKeys: Array<{key: string; why: string}>;
};

/** The change one applied record made here, or null when it changed nothing a reader should hear about. */
export function pulledChange(id: string, outcome: Outcome): PulledChange | null {
	const {before, after, remote} = outcome;
	if ((outcome.applied !== 'taken' && outcome.applied !== 'merged') || !after) {
		return null;
	}

	const liveBefore = before && before.deletedAt === undefined ? before : null;
	const deleted = after.deletedAt !== undefined;
	const keysBefore = new Set(liveBefore?.keys ?? []);
	const keysAfter = new Set(deleted ? [] : after.keys);
	if (!liveBefore && deleted) {
		// A deletion of something this device never had (or had deleted too): nothing to tell.
		return null;
	}

	const added = [...keysAfter].filter(key => !keysBefore.has(key));
	return {
		id,
		name: after.name,
		previousName: liveBefore && liveBefore.name !== after.name ? liveBefore.name : null,
		created: !liveBefore && !deleted,
		deleted: deleted && liveBefore !== null,
		added,
		removed: [...keysBefore].filter(key => !keysAfter.has(key)),
		by: remote.updatedBy ?? (before ? null : remote.createdBy),
		loaderKeys: added.flatMap(key => {
			const why = loaderVariable(key);
			return why === undefined ? [] : [{key, why}];
		}),
	};
}

/** `pulled github: +NODE_OPTIONS −OLD_KEY (by alice)`, every part from the record visible-escaped. */
export function pulledChangeLine(change: PulledChange): string {
	const name = visible(change.name) + (change.previousName === null ? '' : ` (was ${visible(change.previousName)})`);
	const keys = [...change.added.map(key => `+${visible(key)}`), ...change.removed.map(key => `−${visible(key)}`)].join(' ');
	const what = change.deleted ? 'deleted' : change.created ? `new secret ${keys}` : keys || 'values or details changed';
	return `pulled ${name}: ${what} (by ${change.by === null ? 'an unnamed writer' : visible(change.by)})`;
}

/** The loud line for each loader variable a pull added. */
export function loaderWarningLines(change: PulledChange): string[] {
	return change.loaderKeys.map(
		({key, why}) =>
			`warning: ${visible(change.by ?? 'an unnamed writer')} added ${visible(key)} to ${visible(change.name)}: it changes how programs start (${why}); hush run refuses to inject it unless you pass --allow-env ${visible(key)}`,
	);
}
