import { emulatorArgs, startOptionsFrom } from '../../../scripts/lib/start-options';

describe('npm start options (LOCAL_ANY_PORTS)', () => {
  it('when LOCAL_ANY_PORTS is unset, blank or false, then the emulators take their default ports', () => {
    for (const value of [undefined, '', '  ', 'false', 'FALSE']) {
      const result = startOptionsFrom({ LOCAL_ANY_PORTS: value });
      expect(result).toEqual({ ok: true, options: { anyPorts: false, botPort: 3978 } });
      if (result.ok) expect(emulatorArgs(result.options)).toEqual([]);
    }
  });

  it('when LOCAL_ANY_PORTS is true, then the emulators are started with --any-ports', () => {
    const result = startOptionsFrom({ LOCAL_ANY_PORTS: ' True ' });
    expect(result).toEqual({ ok: true, options: { anyPorts: true, botPort: 3978 } });
    if (result.ok) expect(emulatorArgs(result.options)).toEqual(['--any-ports']);
  });

  it('when LOCAL_ANY_PORTS is anything else, then the error names the setting, the allowed values and the value given', () => {
    for (const value of ['yes', '1', 'on', 'truee']) {
      expect(startOptionsFrom({ LOCAL_ANY_PORTS: value })).toEqual({
        ok: false,
        error: `LOCAL_ANY_PORTS must be true or false (or unset), not "${value}".`,
      });
    }
  });

  it('when PORT is unset or blank, then the bot takes 3978; when it is a port number, then that one', () => {
    for (const value of [undefined, '', ' ']) expect(startOptionsFrom({ PORT: value })).toEqual({ ok: true, options: { anyPorts: false, botPort: 3978 } });
    for (const [value, port] of [['1', 1], [' 4000 ', 4000], ['65535', 65535]] as const) {
      expect(startOptionsFrom({ PORT: value })).toEqual({ ok: true, options: { anyPorts: false, botPort: port } });
    }
  });

  it('when PORT is not a port number, then the error names the setting, the range and the value given', () => {
    for (const value of ['abc', '0', '65536', '-1', '3978.5', '1e3', '0x50', '80 80']) {
      expect(startOptionsFrom({ PORT: value })).toEqual({
        ok: false,
        error: `PORT must be a port number from 1 to 65535 (or unset for 3978), not "${value}".`,
      });
    }
  });
});
