/**
 * The old name of {@link useLatestReducer} ("sync" meant synchronous, not hush's remote sync).
 * Kept only for screens/passphrase-screen.tsx, which is being reworked elsewhere: import
 * useLatestReducer from './use-latest-reducer.js' there, then delete this file.
 */
export {useLatestReducer as useSyncReducer} from './use-latest-reducer.js';
