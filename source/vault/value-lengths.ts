import type {ValueBuffers} from './records.js';
import {wipeAll} from './summary.js';

/** Each value's length in characters (code points, as a person counts them), then the buffers are zeroed. */
export function valueLengths(values: ValueBuffers): Record<string, number> {
	try {
		return Object.fromEntries([...values].map(([key, value]) => [key, [...value.toString('utf8')].length]));
	} finally {
		wipeAll(values);
	}
}
