import packageJson from '../package.json' with {type: 'json'};

/** hush's version, from its package.json: read in this one module, so the build bundles the manifest once (dist/base.js). */
export const version: string = packageJson.version;
