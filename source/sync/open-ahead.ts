import {createRequire} from 'node:module';
import {pathToFileURL} from 'node:url';
import {Worker} from 'node:worker_threads';
import type {WireRecord} from '../protocol/index.js';
import type {SealedPart} from '../vault/opened-ahead.js';
import {openableShape} from '../vault/opened-ahead.js';
import type {SyncStore} from '../vault/sync-store.js';
import {wireToRow} from './wire.js';

/**
 * Opens a pulled page's ciphertexts in a worker thread, ahead of the page's apply: the AES-256-GCM-SIV
 * opens (two a record, @noble/ciphers, as aead.ts) are half of a large pull's CPU, and the main
 * thread meanwhile writes the page before. Only the opens move: the plaintexts come back and are
 * offered to the vault (vault/opened-ahead.ts), whose openPart takes one only for exactly the bytes
 * it was opened from, so each record is still opened (authenticated) and checked like local input,
 * as validate.ts says. A part that fails in the worker is not offered (the apply opens it again and
 * refuses it with its own error), and if the worker cannot run at all every part is opened on the
 * main thread as before. Plaintexts cross threads in memory only; keys sent are wiped in the worker
 * after each page, and a page's plaintexts are wiped once it is applied (or never used).
 */

/** Below this many records a page is opened on the main thread (pulled-pages.ts): a worker is worth it for large pulls only. */
export const minimumAheadPage = 200;

type Job = {part: SealedPart; key: number};
export type Opened = Array<{part: SealedPart; plaintext: Uint8Array}>;

/** How many parts the worker opened, in this process: tests check that a large pull used it. */
export const aheadStats = {workerOpened: 0};

type Reply = {id: number; plain: Uint8Array | null; opened: Uint8Array | null};

/** The worker: one message a page (or a clone's chunk), all its parts packed in one buffer each way (no cloning per part). @noble/ciphers is loaded from the package the bundle was built from. */
const workerSource = `
const {parentPort, workerData} = process.getBuiltinModule('node:worker_threads');
import(workerData.aes).then(({gcmsiv}) => {
// Compiled while the passphrase's KDF runs, not on the first page: a few hundred opens of nothing secret.
const sealed = gcmsiv(new Uint8Array(32), new Uint8Array(12)).encrypt(new Uint8Array(512));
for (let round = 0; round < 300; round++) gcmsiv(new Uint8Array(32), new Uint8Array(12)).decrypt(sealed);
parentPort.on('message', ({id, keys, data, jobs}) => {
	let total = 0;
	for (let index = 0; index < jobs.length; index += 7) total += jobs[index + 6] - 16;
	const plain = new Uint8Array(total);
	const opened = new Uint8Array(jobs.length / 7);
	let at = 0;
	for (let index = 0, job = 0; index < jobs.length; index += 7, job++) {
		const [key, nonce, nonceLength, aad, aadLength, ciphertext, ciphertextLength] = jobs.subarray(index, index + 7);
		try {
			const part = gcmsiv(keys[key], data.subarray(nonce, nonce + nonceLength), data.subarray(aad, aad + aadLength)).decrypt(data.subarray(ciphertext, ciphertext + ciphertextLength));
			plain.set(part, at);
			part.fill(0);
			opened[job] = 1;
		} catch {}
		at += ciphertextLength - 16;
	}
	for (const key of keys) key.fill(0);
	parentPort.postMessage({id, plain, opened}, [plain.buffer, opened.buffer]);
});
});
`;

export class AheadOpener {
	#worker: Worker | undefined;
	#broken = false;
	#nextId = 0;
	readonly #waiting = new Map<number, (reply: Reply) => void>();

	constructor(readonly store: SyncStore) {}

	/**
	 * Starts opening `records` in the worker; resolves to each opened part with its plaintext (the
	 * caller offers them, then wipes them). Never rejects: records it cannot open resolve to none.
	 */
	async open(records: readonly WireRecord[]): Promise<Opened> {
		try {
			return await this.#open(records);
		} catch {
			this.close();
			return [];
		}
	}

	async #open(records: readonly WireRecord[]): Promise<Opened> {
		if (this.#broken) {
			return [];
		}

		const jobs = this.#jobs(records);
		const worker = this.#start();
		return worker && jobs.length > 0 ? this.#post(worker, jobs) : [];
	}

	#post(worker: Worker, jobs: Job[]): Promise<Opened> {
		const keys: Uint8Array[] = [];
		const keyIndex = new Map<Uint8Array, number>();
		const packed = packJobs(jobs.map(job => {
			let key = keyIndex.get(job.part.key);
			if (key === undefined) {
				// Cloned by postMessage: the worker wipes its copies, this thread's stay the vault's.
				key = keys.push(job.part.key) - 1;
				keyIndex.set(job.part.key, key);
			}

			return {...job, key};
		}));
		const id = this.#nextId++;
		return new Promise(resolve => {
			this.#waiting.set(id, reply => resolve(unpack(jobs, reply)));
			// Held while it works: an idle worker never keeps the process alive, a busy one must.
			worker.ref();
			worker.postMessage({id, keys, data: packed.data, jobs: packed.jobs}, [packed.data.buffer, packed.jobs.buffer]);
		});
	}

	/** Stops the worker; pages still being opened resolve to nothing. */
	close(): void {
		void this.#worker?.terminate();
		this.#worker = undefined;
		this.#fail();
	}

	/** The parts the apply will open, as openPart will ask for them; a part it will refuse before opening is left to it. */
	#jobs(records: readonly WireRecord[]): Job[] {
		const jobs: Job[] = [];
		for (const record of records) {
			const row = wireToRow(record);
			for (const name of row.values_ciphertext !== null && this.store.canOpenValues(row) ? (['meta', 'values'] as const) : (['meta'] as const)) {
				try {
					const part = this.store.sealedPart(row, name);
					if (openableShape(part)) {
						jobs.push({part, key: 0});
					}
				} catch {}
			}
		}

		return jobs;
	}

	#start(): Worker | undefined {
		if (this.#worker) {
			return this.#worker;
		}

		const started = spare ?? startWorker();
		spare = undefined;
		if (!started || started.gone) {
			this.#fail();
			return undefined;
		}

		const {worker} = started;
		worker.on('message', (reply: Reply) => {
			this.#waiting.get(reply.id)?.(reply);
			this.#waiting.delete(reply.id);
			if (this.#waiting.size === 0) {
				worker.unref();
			}
		});
		worker.on('error', () => this.#fail());
		worker.on('exit', () => this.#fail());
		this.#worker = worker;
		return worker;
	}

	/** The worker is gone: what it was opening resolves to nothing, and the rest is opened on the main thread. */
	#fail(): void {
		this.#broken = true;
		for (const resolve of this.#waiting.values()) {
			resolve({id: -1, plain: null, opened: null});
		}

		this.#waiting.clear();
	}
}

type Started = {worker: Worker; gone: boolean};

/** A worker started ahead of its first page (a clone starts it before the passphrase's KDF), for the next opener. */
let spare: Started | undefined;

function startWorker(): Started | undefined {
	try {
		const aes = pathToFileURL(createRequire(import.meta.url).resolve('@noble/ciphers/aes.js')).href;
		// No flags of this process (a loader, --input-type): the code above runs as it is, in either module system.
		const worker = new Worker(workerSource, {eval: true, workerData: {aes}, execArgv: [], stdout: false, stderr: false});
		worker.unref();
		const started = {worker, gone: false};
		worker.on('error', () => undefined);
		worker.on('exit', () => {
			started.gone = true;
		});
		return started;
	} catch {
		return undefined;
	}
}

/** Starts the worker now, so its start-up overlaps other work (a clone's KDF); idle, it never keeps the process alive. */
export function prestartOpenWorker(): void {
	spare ??= startWorker();
}

/** Stops a worker started ahead and never used (a clone that failed before its pull). */
export function dropSpareWorker(): void {
	void spare?.worker.terminate();
	spare = undefined;
}

/** Every nonce, AAD and ciphertext in one buffer, and per part 7 numbers: key, then offset and length of each. */
function packJobs(jobs: readonly Job[]): {data: Uint8Array<ArrayBuffer>; jobs: Uint32Array<ArrayBuffer>} {
	let total = 0;
	for (const {part} of jobs) {
		total += part.nonce.length + part.aad.length + part.ciphertext.length;
	}

	const data = new Uint8Array(total);
	const table = new Uint32Array(jobs.length * 7);
	let at = 0;
	const put = (bytes: Uint8Array): number => {
		data.set(bytes, at);
		at += bytes.length;
		return at - bytes.length;
	};

	for (const [index, {part, key}] of jobs.entries()) {
		table.set([key, put(part.nonce), part.nonce.length, put(part.aad), part.aad.length, put(part.ciphertext), part.ciphertext.length], index * 7);
	}

	return {data, jobs: table};
}

function unpack(jobs: readonly Job[], reply: Reply): Opened {
	if (!reply.plain || !reply.opened) {
		return [];
	}

	const opened: Opened = [];
	let at = 0;
	for (const [index, job] of jobs.entries()) {
		const length = job.part.ciphertext.length - 16;
		if (reply.opened[index] === 1) {
			aheadStats.workerOpened++;
			opened.push({part: job.part, plaintext: reply.plain.subarray(at, at + length)});
		}

		at += length;
	}

	return opened;
}
