/**
 * The wire contract between the sync client (source/sync/client.ts) and the server
 * (source/server/): types, parsers, JSON schemas, encodings, error bodies and the token format.
 * It imports nothing from the vault, the sync engine or the server: the client and the server meet
 * only here.
 */
export {base64ByteLength, base64Pattern, fromBase64, isBase64, toBase64} from './encoding.js';
export {type ErrorBody, type ErrorCode, errorBody, errorCodes, parseErrorBody} from './errors.js';
export {ProtocolError, clean} from './fields.js';
export {type HeaderResponse, type VaultHeader, type VaultHeaderKeyslot, maxHeaderFields, parseHeaderResponse, parseVaultHeader, vaultHeaderFormat} from './header.js';
export {
	auditQuerySchema,
	changesQuerySchema,
	maxHeaderText,
	maxKeyGeneration,
	maxRevision,
	noQuerySchema,
	pushBodySchema,
	pushRecordSchema,
	putHeaderBodySchema,
	strictAjvOptions,
	vaultParamsSchema,
} from './schemas.js';
export {type TokenParts, bearerHeader, bearerToken, formatToken, parseToken, tokenIdLength, tokenPattern, tokenPrefix, tokenSecretBytes} from './token.js';
export {
	type AuditEntry,
	type ChangesPage,
	type PushRecord,
	type PushRequest,
	type PushResponse,
	type PushResult,
	type PutHeaderResult,
	type Sealed,
	type SealedBytes,
	type VaultList,
	type VaultSummary,
	type WireRecord,
	idPattern,
	maxBase64Chars,
	sealedChars,
	maxPageSize,
	maxVaults,
	parseChangesPage,
	parseHealth,
	parseId,
	parsePushRecord,
	parsePushResponse,
	parsePushResult,
	parsePutHeaderResult,
	parseVaultList,
	parseWireRecord,
	sealedBytes,
} from './wire.js';
