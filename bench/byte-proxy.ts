import {type Socket, connect, createServer} from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 that counts every byte a device's connections carry to and from the
 * server: HTTP request and status lines, headers and bodies (gzip or not), as the sockets see them.
 * Put one in front of `hush serve` per device, point that device's remote at it, and read the
 * counters around an operation: what that device sent and received, measured rather than estimated.
 * (TCP/IP framing below the socket is not counted; on https TLS records would add to it.)
 */

export type ByteCounts = {sent: number; received: number};

export type CountingProxy = {
	url: string;
	/** Bytes so far: sent by the device (to the server), received by it (from the server). */
	counts(): ByteCounts;
	/** Runs `work` and returns what the device moved while it ran, with its result. */
	measure<T>(work: () => Promise<T>): Promise<{result: T; bytes: ByteCounts}>;
	stop(): Promise<void>;
};

export async function countingProxy(targetPort: number): Promise<CountingProxy> {
	const totals: ByteCounts = {sent: 0, received: 0};
	const open = new Set<Socket>();
	const server = createServer(device => {
		const upstream = connect(targetPort, '127.0.0.1');
		for (const socket of [device, upstream]) {
			open.add(socket);
			socket.on('close', () => open.delete(socket));
		}

		// Counted as each chunk arrives, before it is passed on: by the time the device holds a
		// whole response, every byte of it (and of its request) has been counted.
		device.on('data', (chunk: Buffer) => {
			totals.sent += chunk.length;
		});
		upstream.on('data', (chunk: Buffer) => {
			totals.received += chunk.length;
		});
		device.pipe(upstream);
		upstream.pipe(device);
		const both = () => {
			device.destroy();
			upstream.destroy();
		};

		device.on('error', both).on('close', both);
		upstream.on('error', both).on('close', both);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as {port: number};
	const counts = () => ({...totals});
	return {
		url: `http://127.0.0.1:${port}`,
		counts,
		async measure(work) {
			const before = counts();
			const result = await work();
			const after = counts();
			return {result, bytes: {sent: after.sent - before.sent, received: after.received - before.received}};
		},
		async stop() {
			for (const socket of open) {
				socket.destroy();
			}

			await new Promise<void>(resolve => server.close(() => resolve()));
		},
	};
}
