import {copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {Vault} from '../source/vault/vault.js';
import {type KdfParams, defaultKdfParams} from '../source/vault/kdf.js';
import type {CreateSecretOptions} from '../source/vault/vault.js';
import type {SecretType, SecretValues} from '../source/vault/model.js';
import {schemaVersion} from '../source/vault/storage.js';

/** A vault the bench built, and one secret in it that `hush get` reads. */
export type BenchVault = {
	size: number;
	home: string;
	passphrase: string;
	kdf: KdfParams;
	target: {name: string; key: string; value: string};
	buildMs: number;
};

/** The check every `hush get` benchmark makes of its warm-up run: it printed the stored value, exactly. */
export function printsTargetValue(vault: BenchVault): (stdout: string) => void {
	return stdout => {
		if (stdout !== vault.target.value) {
			throw new Error(`hush get printed ${stdout.length} characters, not the ${vault.target.value.length} stored`);
		}
	};
}

export const benchPassphrase = 'bench correct horse battery staple';
/** One transaction per 10,000 secrets: the bulk path an import takes (each metadata page sealed once). */
const batchSize = 10_000;

type Entry = {name: string; values: SecretValues; options: CreateSecretOptions};

/**
 * Creates a vault of `size` secrets under `home` through the SDK, with the default KDF (the one
 * every real vault gets), in transactions of 1,000. Contents are pseudo-random but seeded, so every
 * run of the bench builds the same mix.
 */
export async function buildVault(home: string, size: number): Promise<BenchVault> {
	const started = performance.now();
	const kdf: KdfParams = {...defaultKdfParams};
	const entries = generateSecrets(size);
	// The secret `hush get` reads: public, so lookup misses the private namespace first (the longer
	// path), and never write-only (get refuses those).
	const targetIndex = Math.floor(size * 0.73);
	const target = entries[targetIndex]!;
	target.options = {...target.options, private: false, writeOnly: false};
	const [key, value] = Object.entries(target.values)[0]!;

	const vault = await Vault.init({
		home,
		passphrase: benchPassphrase,
		kdf: {memory: kdf.memory, passes: kdf.passes, parallelism: kdf.parallelism},
		actor: 'bench',
		command: 'bench',
	});
	try {
		for (let start = 0; start < entries.length; start += batchSize) {
			vault.createSecrets(entries.slice(start, start + batchSize));
		}
	} finally {
		vault.close();
	}

	return {size, home, passphrase: benchPassphrase, kdf, target: {name: target.name, key, value}, buildMs: performance.now() - started};
}

export function vaultHome(workDir: string, size: number): string {
	return join(workDir, `vault-${size}`);
}

/**
 * A vault of `size` secrets in `home`: copied from the cache under `.bench/vaults/format-N/`
 * (keyed by the file format, so a format change builds afresh) or built there first. A 100,000-secret
 * vault takes a while to build; every later run copies it in a second.
 */
export async function cachedVault(root: string, home: string, size: number): Promise<BenchVault & {cached: boolean}> {
	const started = performance.now();
	const cacheDir = join(root, '.bench', 'vaults', `format-${schemaVersion}`, String(size));
	const described = join(cacheDir, 'vault.json');
	const fresh = !existsSync(described);
	if (fresh) {
		const building = `${cacheDir}.building-${process.pid}`;
		rmSync(building, {recursive: true, force: true});
		mkdirSync(join(building, '..'), {recursive: true});
		const built = await buildVault(building, size);
		writeFileSync(join(building, 'vault.json'), JSON.stringify({...built, home: undefined}));
		rmSync(cacheDir, {recursive: true, force: true});
		renameSync(building, cacheDir);
	}

	const cached = JSON.parse(readFileSync(described, 'utf8')) as Omit<BenchVault, 'home'>;
	mkdirSync(home, {recursive: true, mode: 0o700});
	for (const file of ['vault.db', 'vault.db-wal']) {
		if (existsSync(join(cacheDir, file))) {
			copyFileSync(join(cacheDir, file), join(home, file));
		}
	}

	return {...cached, home, cached: !fresh, buildMs: fresh ? performance.now() - started : cached.buildMs};
}

// ---- fixture data -------------------------------------------------------------------------------

/** mulberry32: tiny, fast, seeded. Only for a reproducible mix, never for anything secret. */
function seeded(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d_2b_79_f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

const services = [
	'openai', 'stripe', 'github', 'aws', 'gcp', 'azure', 'sendgrid', 'twilio', 'slack', 'datadog',
	'sentry', 'postgres', 'redis', 'mongodb', 'cloudflare', 'vercel', 'netlify', 'heroku', 'pagerduty', 'okta',
];
const environments = ['prod', 'staging', 'dev', 'ci'];
const integrations = ['github', 'aws', 'gcp', 'vercel', 'kubernetes'];
const descriptions = [
	'Used by the billing service to charge customers',
	'Deploy key for the release pipeline; rotate quarterly',
	'Read-only credentials for the analytics warehouse',
	'Webhook signing secret, shared with the payments team',
	'Service account for nightly backups',
	'Bot token for the on-call notifier',
];

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const base64Alphabet = `${alphabet}+/`;

/** The seeded mix every bench vault is built from (also the team-flows group's team secrets). */
export function generateSecrets(size: number): Entry[] {
	const random = seeded(0x48_55_53_48 ^ size);
	const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
	const chance = (probability: number): boolean => random() < probability;
	const text = (length: number, chars = alphabet): string => {
		let result = '';
		for (let index = 0; index < length; index++) {
			result += chars[Math.floor(random() * chars.length)];
		}

		return result;
	};

	const between = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
	const pem = (label: string, bytes: number): string => {
		const body = text(Math.ceil((bytes * 4) / 3), base64Alphabet).match(/.{1,64}/g)!.join('\n');
		return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
	};

	const jwt = (): string => `eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.${text(between(180, 420))}.${text(342)}`;

	const valuesFor = (type: SecretType, service: string): SecretValues => {
		const prefix = service.toUpperCase();
		switch (type) {
			case 'token': {
				return chance(0.5)
					? {[`${prefix}_TOKEN`]: `ghp_${text(36)}`, [`${prefix}_REFRESH_TOKEN`]: jwt()}
					: {[`${prefix}_TOKEN`]: jwt(), [`${prefix}_TOKEN_ID`]: text(20), EXPIRES_IN: String(between(600, 86_400))};
			}

			case 'credentials': {
				const values: SecretValues = {USERNAME: `svc-${service}-${text(6).toLowerCase()}`, PASSWORD: text(between(24, 40), `${alphabet}!@#%^&*-_`)};
				if (chance(0.5)) {
					values['HOST'] = `${service}.${pick(environments)}.internal.example.com`;
				}

				return values;
			}

			case 'url': {
				const url = `postgres://app_${text(5).toLowerCase()}:${text(32)}@db-${between(1, 9)}.${service}.example.com:5432/app?sslmode=verify-full`;
				return chance(0.5) ? {DATABASE_URL: url, READ_REPLICA_URL: url.replace('db-', 'replica-')} : {DATABASE_URL: url, POOL_SIZE: String(between(5, 50))};
			}

			case 'certificate': {
				const values: SecretValues = {TLS_CERT: pem('CERTIFICATE', between(800, 1400)), TLS_KEY: pem('PRIVATE KEY', 1218)};
				if (chance(0.4)) {
					values['CA_CERT'] = pem('CERTIFICATE', between(800, 1400));
				}

				return values;
			}

			case 'env_var': {
				return {[`${prefix}_API_KEY`]: text(between(32, 64)), [`${prefix}_REGION`]: pick(['us-east-1', 'eu-west-1', 'ap-south-1'])};
			}

			case 'generic': {
				const values: SecretValues = {[`${prefix}_API_KEY`]: `sk-${text(48)}`, [`${prefix}_ORG_ID`]: `org-${text(24)}`};
				if (chance(0.3)) {
					values[`${prefix}_WEBHOOK_SECRET`] = `whsec_${text(32)}`;
				}

				return values;
			}
		}
	};

	// Weights: mostly API keys and tokens, some credentials and URLs, a few certificates.
	const typeWeights: Array<[SecretType, number]> = [
		['generic', 0.3],
		['token', 0.22],
		['credentials', 0.18],
		['url', 0.12],
		['env_var', 0.12],
		['certificate', 0.06],
	];
	const pickType = (): SecretType => {
		let roll = random();
		for (const [type, weight] of typeWeights) {
			roll -= weight;
			if (roll < 0) {
				return type;
			}
		}

		return 'generic';
	};

	const entries: Entry[] = [];
	for (let index = 0; index < size; index++) {
		const service = pick(services);
		const type = pickType();
		const options: CreateSecretOptions = {
			type,
			private: chance(0.35),
			writeOnly: chance(0.05),
		};
		if (chance(0.6)) {
			options.description = pick(descriptions);
		}

		if (chance(0.5)) {
			options.integration = pick(integrations);
		}

		if (chance(0.15)) {
			options.expiresAt = new Date(Date.UTC(2027, between(0, 11), between(1, 28))).toISOString();
		}

		const name = `${service}-${pick(environments)}-${type.replace('_', '-')}-${String(index).padStart(5, '0')}`;
		entries.push({name, values: valuesFor(type, service), options});
	}

	return entries;
}
