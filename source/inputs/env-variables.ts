import {InvalidInputError} from '../errors.js';

/**
 * A value source: `--env KEY` reads $KEY; `--env KEY=VAR` reads $VAR into KEY. (Not to be confused
 * with runtime/environment.ts, which builds the environment `hush run` gives its child.)
 */
export function readValuesFromEnvironment(specs: readonly string[], env: NodeJS.ProcessEnv): Array<[string, string]> {
	return specs.map(spec => {
		const [key = '', variable = key] = spec.split('=', 2);
		if (key === '' || variable === '') {
			throw new InvalidInputError(`--env ${spec}: expected KEY or KEY=VARIABLE`);
		}

		const value = env[variable];
		if (value === undefined) {
			throw new InvalidInputError(`--env ${spec}: environment variable ${variable} is not set`);
		}

		return [key, value];
	});
}
