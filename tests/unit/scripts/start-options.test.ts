import { emulatorArgs, startOptionsFrom } from '../../../scripts/lib/start-options';

describe('npm start options (LOCAL_ANY_PORTS)', () => {
  it('when LOCAL_ANY_PORTS is unset, blank or false, then the emulators take their default ports', () => {
    for (const value of [undefined, '', '  ', 'false', 'FALSE']) {
      const result = startOptionsFrom({ LOCAL_ANY_PORTS: value });
      expect(result).toEqual({ ok: true, options: { anyPorts: false } });
      if (result.ok) expect(emulatorArgs(result.options)).toEqual([]);
    }
  });

  it('when LOCAL_ANY_PORTS is true, then the emulators are started with --any-ports', () => {
    const result = startOptionsFrom({ LOCAL_ANY_PORTS: ' True ' });
    expect(result).toEqual({ ok: true, options: { anyPorts: true } });
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
});
