import {InvalidInputError, describeError} from '../errors.js';
import {type PreferenceKey, type Preferences, defaultPreferences, isPreferenceKey, preferenceKeys, settings} from '../preferences/settings.js';
import type {CommandSpec} from './spec.js';

const keyHelp = preferenceKeys.map(key => `  ${key.padEnd(24)}${settings[key].summary} (default ${String(settings[key].default)})`).join('\n');

function settingKey(raw: string | undefined): PreferenceKey {
	if (raw === undefined) {
		throw new InvalidInputError('name a setting: hush config get KEY (hush config list shows them all)');
	}

	if (!isPreferenceKey(raw)) {
		throw new InvalidInputError(`unknown setting ${JSON.stringify(raw)}: use one of ${preferenceKeys.join(', ')}`);
	}

	return raw;
}

export const config: CommandSpec = {
	name: 'config',
	summary: 'Show and change preferences (reveal and clipboard seconds, idle lock, list order, auto-sync)',
	usage: 'hush config list [--json] | hush config get KEY [--json] | hush config set KEY VALUE | hush config unset KEY',
	help: `Preferences for how hush behaves on this machine, in config.json in hush's home (HUSH_HOME).
They are never secrets. unset puts a setting back to its default. A value edited by hand that is not
acceptable is warned about and its default used.

Settings:
${keyHelp}

sync.auto: "vault" (the default) follows the vault's own switch, hush remote auto-sync on|off; "on"
or "off" overrides it on this machine. Auto-sync only runs when the vault has a remote.

Examples:
  hush config list
  hush config set reveal.seconds 10
  hush config set tui.idleLockMinutes 0
  hush config get list.sort --json
  hush config unset sync.auto`,
	flags: {json: {type: 'boolean'}},
	args: {min: 1, max: 3, names: 'list | get KEY | set KEY VALUE | unset KEY'},
	async run(context) {
		const [action, rawKey, rawValue, ...extra] = context.args;
		const expected = {list: 1, get: 2, set: 3, unset: 2}[action as 'list'];
		if (expected === undefined) {
			throw new InvalidInputError(`unknown action ${JSON.stringify(action)}: use hush config list, get KEY, set KEY VALUE or unset KEY`);
		}

		const key = action === 'list' ? undefined : settingKey(rawKey);
		if (context.args.length !== expected || extra.length > 0) {
			throw new InvalidInputError(`usage: hush config ${action}${action === 'list' ? '' : action === 'set' ? ' KEY VALUE' : ' KEY'}`);
		}

		let value: unknown;
		if (key && action === 'set') {
			value = settings[key].parse(rawValue);
			if (value === undefined) {
				throw new InvalidInputError(`${key} ${JSON.stringify(rawValue)}: use ${settings[key].accepts}`);
			}
		}

		const store = await import('../preferences/store.js');
		if (action === 'set') {
			store.writePreference(await store.openPreferences(context.io.env), key!, value as never);
			context.say(`${key} = ${String(value)}`);
			return;
		}

		if (action === 'unset') {
			store.removePreference(await store.openPreferences(context.io.env), key!);
			context.say(`${key} back to its default, ${String(settings[key!].default)}`);
			return;
		}

		// Reading never fails on a broken file: hush itself runs on the defaults then, so say that.
		const warn = (message: string) => context.say(`hush: warning: ${message}`);
		let preferences: Preferences;
		try {
			preferences = store.storedPreferences(await store.openPreferences(context.io.env), warn);
		} catch (error) {
			warn(`${describeError(error)}; using the default preferences`);
			preferences = defaultPreferences();
		}
		if (key) {
			if (context.flags['json'] === true) {
				context.printJson(preferences[key]);
			} else {
				context.print(`${String(preferences[key])}\n`);
			}

			return;
		}

		if (context.flags['json'] === true) {
			context.printJson(preferences);
			return;
		}

		const width = Math.max(...preferenceKeys.map(name => name.length)) + 2;
		context.print(preferenceKeys.map(name => `${name.padEnd(width)}${String(preferences[name])}${preferences[name] === settings[name].default ? '  (default)' : ''}`).join('\n') + '\n');
	},
};
