import {InvalidInputError} from '../errors.js';
import {filesDirective} from './shared/complete-words.js';
import type {CommandSpec} from './spec.js';

// Each script hands the words typed so far to `hush __complete` and offers what it prints, as cobra
// and clap do: the command and flag knowledge stays in one place, hush's own command specs. stdin is
// closed and stderr dropped, so a completion can never stop to ask or print over the prompt line.
// Candidates contain only letters, digits and . _ - (complete-words.ts); the scripts still add them
// as data (COMPREPLY entries, compadd, fish's plain output), never evaluate them.

const bash = `# hush completion for bash: add to ~/.bashrc
#   source <(hush completion bash)
_hush_complete() {
	local line="\${COMP_LINE:0:COMP_POINT}" out candidate
	local -a words lines
	read -ra words <<< "$line"
	if [[ -z $line || $line =~ [[:space:]]$ ]]; then
		words+=("")
	fi
	COMPREPLY=()
	out=$(command hush __complete -- "\${words[@]:1}" 2>/dev/null </dev/null) || return 0
	mapfile -t lines <<< "$out"
	for candidate in "\${lines[@]}"; do
		if [[ $candidate == ${filesDirective} ]]; then
			compopt -o filenames 2>/dev/null
			mapfile -t -O "\${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "\${words[-1]}")
		elif [[ -n $candidate ]]; then
			COMPREPLY+=("$candidate")
		fi
	done
}
complete -F _hush_complete hush
`;

const zsh = `#compdef hush
# hush completion for zsh: add to ~/.zshrc (after compinit)
#   source <(hush completion zsh)
_hush() {
	local out
	local -a candidates
	out=$(command hush __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null </dev/null) || return 1
	candidates=("\${(@f)out}")
	if (( \${candidates[(Ie)${filesDirective}]} )); then
		_files
	fi
	candidates=("\${(@)candidates:#${filesDirective}}")
	candidates=("\${(@)candidates:#}")
	(( \${#candidates} )) && compadd -a candidates
}
compdef _hush hush
`;

const fish = `# hush completion for fish: save as ~/.config/fish/completions/hush.fish, or
#   hush completion fish | source
function __hush_complete
	set -l words (commandline -opc)
	set -e words[1]
	set -l current (commandline -ct)
	for line in (command hush __complete -- $words $current 2>/dev/null </dev/null)
		if test "$line" = "${filesDirective}"
			__fish_complete_path $current
		else
			printf '%s\\n' $line
		end
	end
end
complete -c hush -f -a '(__hush_complete)'
`;

const scripts = new Map([['bash', bash], ['zsh', zsh], ['fish', fish]]);

export const completion: CommandSpec = {
	name: 'completion',
	summary: 'Print a shell completion script (bash, zsh or fish)',
	usage: 'hush completion bash|zsh|fish',
	help: `Prints a script that completes hush's commands and flags, and — when the vault is already
unlocked by a session (HUSH_SESSION) or the OS keychain — secret and key names (hush get NAME KEY,
hush run --secret NAME). It never asks for the passphrase and never uses HUSH_PASSPHRASE: with the
vault locked, names are simply not offered.

Examples:
  source <(hush completion bash)                  # in ~/.bashrc
  source <(hush completion zsh)                   # in ~/.zshrc, after compinit
  hush completion fish > ~/.config/fish/completions/hush.fish`,
	flags: {},
	args: {min: 1, max: 1, names: 'a shell: bash, zsh or fish'},
	async run(context) {
		const shell = context.args[0]!;
		const script = scripts.get(shell);
		if (script === undefined) {
			throw new InvalidInputError(`no completion for ${JSON.stringify(shell)}: use bash, zsh or fish`);
		}

		context.io.stdout.write(script);
	},
};
