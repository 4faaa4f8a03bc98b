import {type Socket, connect, createServer} from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 that counts every byte a device's connections carry to and from the
 * server: HTTP request and status lines, headers and bodies (gzip or not), as the sockets see them.
 * Put one in front of `hush serve` per device, point that device's remote at it, and read the
 * counters around an operation: what that device sent and received, measured rather than estimated.
 * (TCP/IP framing below the socket is not counted; on https, TLS records would add to it.)
 *
 * The device's side of a connection stays open until the device closes it; the server's side is
 * opened when the device sends and dropped at the start of each {@link CountingProxy.measure}, when
 * nothing is in flight. A bench process keeps fetch's keep-alive connections far longer than a
 * `hush` command lives: without that, the server would close one idle for its keep-alive timeout
 * just as a busy event loop hands it the next request, and the request would fail for the bench's
 * sake, not the product's. It also makes each measured operation open its server connection afresh,
 * as a new `hush` process does.
 */

export type ByteCounts = {sent: number; received: number};

export type CountingProxy = {
	url: string;
	/** Bytes so far: sent by the device (to the server), received by it (from the server). */
	counts(): ByteCounts;
	/** Runs `work` (nothing else may use this proxy meanwhile) and returns what the device moved while it ran. */
	measure<T>(work: () => Promise<T>): Promise<{result: T; bytes: ByteCounts}>;
	stop(): Promise<void>;
};

type Link = {device: Socket; upstream: Socket | undefined};

export async function countingProxy(targetPort: number): Promise<CountingProxy> {
	const totals: ByteCounts = {sent: 0, received: 0};
	const links = new Set<Link>();
	const toServer = (link: Link): Socket => {
		if (link.upstream) {
			return link.upstream;
		}

		const upstream = connect(targetPort, '127.0.0.1');
		link.upstream = upstream;
		// Counted as each chunk arrives, before it is passed on: by the time the device holds a whole
		// response, every byte of it (and of its request) has been counted.
		upstream.on('data', (chunk: Buffer) => {
			totals.received += chunk.length;
			link.device.write(chunk);
		});
		const gone = () => {
			// The server closed (or broke) the connection the device is using: so does the device's.
			if (link.upstream === upstream) {
				link.upstream = undefined;
				link.device.destroy();
			}
		};

		upstream.on('error', gone).on('close', gone);
		return upstream;
	};

	const server = createServer(device => {
		const link: Link = {device, upstream: undefined};
		links.add(link);
		device.on('data', (chunk: Buffer) => {
			totals.sent += chunk.length;
			toServer(link).write(chunk);
		});
		const closed = () => {
			links.delete(link);
			link.upstream?.destroy();
			link.upstream = undefined;
			device.destroy();
		};

		device.on('error', closed).on('end', closed).on('close', closed);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});

	/** Drops every server-side connection, idle as they all are between operations; the device's stay. */
	const recycle = () => {
		for (const link of links) {
			const {upstream} = link;
			link.upstream = undefined;
			upstream?.end();
		}
	};

	const {port} = server.address() as {port: number};
	const counts = () => ({...totals});
	return {
		url: `http://127.0.0.1:${port}`,
		counts,
		async measure(work) {
			recycle();
			const before = counts();
			const result = await work();
			const after = counts();
			return {result, bytes: {sent: after.sent - before.sent, received: after.received - before.received}};
		},
		async stop() {
			for (const link of links) {
				link.upstream?.destroy();
				link.device.destroy();
			}

			await new Promise<void>(resolve => server.close(() => resolve()));
		},
	};
}
