import {createContext, useContext} from 'react';
import type {ExposureMark} from '../team-service.js';

/**
 * What the main screen knows of the team without loading the team layer: how to open the members
 * view (`m`, given by the app), and removed members' exposure as the members view last fetched it,
 * for the detail pane's mark. Outside the app (component tests) `m` does nothing and nothing is marked.
 */
export type TeamContextValue = {openMembers(): void; exposure: readonly ExposureMark[]};

export const TeamContext = createContext<TeamContextValue>({openMembers() {}, exposure: []});

export function useTeamContext(): TeamContextValue {
	return useContext(TeamContext);
}

/** Removed members who could read this secret and whose copy it still matches (not rotated since). */
export function exposedTo(exposure: readonly ExposureMark[], secret: {id: string; updatedAt: string}): string[] {
	return exposure.filter(mark => mark.secretIds.includes(secret.id) && Date.parse(secret.updatedAt) <= Date.parse(mark.removedAt)).map(mark => mark.member);
}
