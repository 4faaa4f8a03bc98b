// Makes media/hush-cli.svg: real hush commands run against a throwaway vault, rendered as a
// terminal. Run with: node --import tsx scripts/screenshot-cli.ts (after npm run build).
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {terminalSvg} from './terminal-svg.js';

const home = mkdtempSync(join(tmpdir(), 'hush-shot-'));
const env = {...process.env, HUSH_HOME: home, HUSH_PASSPHRASE: 'demo passphrase', NO_COLOR: '1'};
const cli = resolve('dist/cli.js');
const transcript: string[] = [];

function hush(shown: string, args: string[], input?: string): void {
	const output = execFileSync(process.execPath, [cli, ...args], {env, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe']});
	transcript.push(`$ ${shown}`, ...output.trimEnd().split('\n').filter(line => line !== ''));
}

try {
	execFileSync(process.execPath, [cli, 'init'], {env, stdio: 'ignore'});
	writeFileSync(join(home, 'key.txt'), 'sk-proj-demo-0000');
	const quiet = (args: string[], input?: string) => execFileSync(process.execPath, [cli, ...args], {env, input, stdio: ['pipe', 'ignore', 'ignore']});
	quiet(['set', 'openai-creds', `--OPENAI_API_KEY=@${join(home, 'key.txt')}`, '--ORG_ID=@@org-demo', '--type', 'token', '--integration', 'openai', '--description', 'team account']);
	quiet(['set', 'github', '--stdin', 'GITHUB_TOKEN', '--type', 'token', '--integration', 'github'], 'ghp_demo');
	quiet(['set', 'prod-db', '--values', 'PGHOST: db.internal\nPGPASSWORD: demo', '--type', 'credentials', '--private', '--write-only']);
	hush('hush list', ['list']);
	hush('hush show openai-creds', ['show', 'openai-creds']);
	const out = resolve('media/hush-cli.svg');
	writeFileSync(out, terminalSvg(transcript, {title: 'hush — list and show', columns: 80}));
	console.log(`wrote ${out}`);
} finally {
	rmSync(home, {recursive: true, force: true});
}
