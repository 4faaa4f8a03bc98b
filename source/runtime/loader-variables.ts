/**
 * Environment variables that change how a program loads or starts: set by whoever can write a
 * shared secret, they run that person's code in the next `hush run` of everyone who injects it.
 * `hush run` refuses to inject a key on this list unless the command names it (`--allow-env NAME`).
 *
 * What is on it: variables whose value is code, a command line, interpreter options, or a place
 * code or configuration is loaded from. Not on it: variables that only change whom a program
 * talks to or trusts (HTTPS_PROXY, SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, DATABASE_URL): those are
 * what secrets are for, and they run no code of their own. Names are compared without regard to
 * case, because Windows and npm (`npm_config_*`) read them that way, and a key that only differs
 * in case from one of these is no ordinary secret anyway.
 */
const exact: ReadonlyMap<string, string> = new Map([
	// What runs at all: the child itself is looked up on PATH; shells and tools start $SHELL.
	['PATH', 'where commands, the child included, are looked up'],
	['PATHEXT', 'which files Windows runs as commands'],
	['COMSPEC', 'the Windows command interpreter'],
	['SHELL', 'the shell that programs (editors, make, npm, ssh) start'],
	// Where configuration (and so hooks, aliases, rc files) is read from.
	['HOME', 'where rc files, ~/.gitconfig, ~/.npmrc and the like are read from'],
	['XDG_CONFIG_HOME', 'where per-user configuration, git and shell included, is read from'],
	['ZDOTDIR', 'where zsh reads .zshenv, run by every zsh'],
	// Dynamic loader (glibc) beyond LD_*; DYLD_* and LD_* are prefixes below.
	['GCONV_PATH', 'glibc loads iconv modules (shared objects) from it'],
	['GLIBC_TUNABLES', 'glibc start-up tunables (CVE-2023-4911)'],
	// Shells: files sourced and code evaluated at start-up or at each prompt.
	['BASH_ENV', 'bash sources this file before running any script'],
	['ENV', 'sh, dash, ksh and bash in POSIX mode source this file'],
	['SHELLOPTS', 'bash options at start-up (xtrace runs PS4)'],
	['BASHOPTS', 'bash shopt options at start-up'],
	['PROMPT_COMMAND', 'bash runs it before each prompt'],
	['PS0', 'bash expands it (command substitution included) after each command is read'],
	['PS1', 'shells expand it (command substitution included) at each prompt'],
	['PS4', 'bash expands it (command substitution included) for every traced command'],
	['IFS', 'changes how every shell splits words'],
	// Node.js and npm.
	['NODE_OPTIONS', 'node options: --require and --import load any code'],
	['NODE_PATH', 'where node resolves modules from'],
	['NODE_REPL_EXTERNAL_MODULE', 'node loads this module instead of its REPL'],
	['ELECTRON_RUN_AS_NODE', 'turns any Electron app into a node that obeys NODE_OPTIONS'],
	// Python.
	['PYTHONPATH', 'where python imports modules from'],
	['PYTHONHOME', 'where python finds its standard library'],
	['PYTHONSTARTUP', 'a file python runs before an interactive session'],
	['PYTHONUSERBASE', 'user site-packages: its .pth files run code at start-up'],
	['PYTHONBREAKPOINT', 'a callable python imports and calls at breakpoint()'],
	['PYTHONWARNINGS', 'warning filters, which import the modules they name'],
	['PYTHONPLATLIBDIR', 'where python finds platform libraries'],
	// Perl and Ruby.
	['PERL5OPT', 'perl options: -M loads any module'],
	['PERL5LIB', 'where perl loads modules from'],
	['PERLLIB', 'where perl loads modules from'],
	['PERL5DB', 'code the perl debugger runs'],
	['RUBYOPT', 'ruby options: -r loads any file'],
	['RUBYLIB', 'where ruby loads files from'],
	['BUNDLE_GEMFILE', 'the Gemfile bundler evaluates (it is ruby code)'],
	// Java and the JVM build tools.
	['JAVA_TOOL_OPTIONS', 'JVM options: -javaagent loads any code'],
	['JDK_JAVA_OPTIONS', 'JVM options for the java launcher'],
	['_JAVA_OPTIONS', 'JVM options'],
	['JAVA_OPTS', 'JVM options passed by start scripts'],
	['CLASSPATH', 'where the JVM loads classes from'],
	['MAVEN_OPTS', 'JVM options for maven'],
	['GRADLE_OPTS', 'JVM options for gradle'],
	// .NET.
	['DOTNET_STARTUP_HOOKS', 'assemblies .NET runs before Main'],
	['COR_ENABLE_PROFILING', 'loads a profiler DLL into .NET Framework programs'],
	['COR_PROFILER', 'the .NET Framework profiler to load'],
	['COR_PROFILER_PATH', 'the .NET Framework profiler DLL'],
	// PHP.
	['PHPRC', 'the php.ini php reads (auto_prepend_file runs code)'],
	['PHP_INI_SCAN_DIR', 'more php.ini files php reads'],
	// OpenSSL: its configuration can load engines and providers (shared objects).
	['OPENSSL_CONF', 'OpenSSL configuration, which can load engines'],
	['OPENSSL_ENGINES', 'where OpenSSL loads engines from'],
	['OPENSSL_MODULES', 'where OpenSSL loads providers from'],
	// git: programs it runs, and configuration (core.sshCommand, core.pager, hooks, ...).
	['GIT_SSH', 'the program git runs for ssh'],
	['GIT_SSH_COMMAND', 'the command git runs for ssh'],
	['GIT_ASKPASS', 'the program git runs for credentials'],
	['GIT_EDITOR', 'the editor git runs'],
	['GIT_PAGER', 'the pager git runs'],
	['GIT_EXTERNAL_DIFF', 'the diff program git runs'],
	['GIT_PROXY_COMMAND', 'the command git runs to connect'],
	['GIT_EXEC_PATH', 'where git finds its own programs'],
	['GIT_TEMPLATE_DIR', 'hooks git copies into new repositories'],
	['GIT_DIR', 'the repository (and so the hooks) git uses'],
	// Programs other programs start by name.
	['EDITOR', 'the editor programs start'],
	['VISUAL', 'the editor programs start'],
	['PAGER', 'the pager programs start'],
	['MANPAGER', 'the pager man starts'],
	['BROWSER', 'the browser programs start'],
	['LESSOPEN', 'a command less runs on every file it opens'],
	['LESSCLOSE', 'a command less runs after every file'],
	['SSH_ASKPASS', 'the program ssh runs for passphrases'],
	['SUDO_ASKPASS', 'the program sudo runs for passwords'],
]);

/** Families of variables, by prefix. */
const prefixes: ReadonlyArray<readonly [string, string]> = [
	['LD_', 'the dynamic loader (LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT, ...) loads shared objects by them'],
	['DYLD_', 'the macOS dynamic loader (DYLD_INSERT_LIBRARIES, ...) loads libraries by them'],
	['BASH_FUNC_', 'bash imports functions from them'],
	['NPM_CONFIG_', 'npm configuration (script-shell, node-options, userconfig, ...) runs commands'],
	['GIT_CONFIG', 'git configuration (GIT_CONFIG_GLOBAL, GIT_CONFIG_KEY_n, ...) sets commands git runs'],
	['CORECLR_', '.NET profilers (CORECLR_PROFILER_PATH, ...) load code'],
	['LUA_INIT', 'lua runs it at start-up'],
	['LUA_PATH', 'where lua loads modules from'],
	['LUA_CPATH', 'where lua loads native modules from'],
];

/** Why NAME changes how a program loads or starts, or undefined for an ordinary key. */
export function loaderVariable(name: string): string | undefined {
	const upper = name.toUpperCase();
	return exact.get(upper) ?? prefixes.find(([prefix]) => upper.startsWith(prefix))?.[1];
}
