import {Box} from 'ink';
import {useMemo, useState} from 'react';
import type {Vault} from '../../vault/vault.js';
import {TeamContext} from '../hooks/team-context.js';
import type {TuiServices} from '../services.js';
import type {ExposureMark} from '../team-service.js';
import {MainScreen} from './main-screen.js';
import {MembersScreen} from './members-screen.js';

export type OpenScreensProps = {
	readonly vault: Vault;
	readonly services: TuiServices;
	readonly onQuit: () => void;
};

/**
 * The unlocked vault: the main screen, and the members view over it while `m` has it open. The
 * main screen stays mounted (hidden), so Esc comes back to the same cursor, filter and sort; the
 * members view's key handler is the newest while it is open, so it alone gets the keys.
 */
export function OpenScreens({vault, services, onQuit}: OpenScreensProps) {
	const [members, setMembers] = useState(false);
	const [exposure, setExposure] = useState<ExposureMark[]>([]);
	const team = useMemo(() => ({openMembers: () => setMembers(true), exposure}), [exposure]);
	return (
		<TeamContext value={team}>
			<Box display={members ? 'none' : 'flex'} flexDirection="column">
				<MainScreen vault={vault} services={services} onQuit={onQuit} />
			</Box>
			{members ? <MembersScreen vault={vault} services={services} onClose={() => setMembers(false)} onExposure={setExposure} /> : null}
		</TeamContext>
	);
}
