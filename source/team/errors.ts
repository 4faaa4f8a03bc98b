import {IntegrityError} from '../errors.js';

/**
 * What the team layer refuses. Both are integrity failures (exit 1): something from the server or a
 * teammate did not check out, and nothing local is changed because of it.
 */

/** The membership log does not verify: forged, reordered, truncated, forked or malformed. */
export class MembershipLogError extends IntegrityError {}

/** A team key wrap does not open for this member, or does not match its generation's commitment. */
export class KeyWrapError extends IntegrityError {}
