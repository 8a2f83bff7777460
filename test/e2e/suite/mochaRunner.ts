// Runs mocha inside the extension host; the suites are bundled into the entry file, so each
// registers its tests when `load` requires it after mocha has set up its globals.
import Mocha from 'mocha';

export function runMocha(load: () => void): Promise<void> {
  // TCPSCENARIO_E2E_GREP runs only the tests whose title matches (while working on one).
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec', grep: process.env.TCPSCENARIO_E2E_GREP });
  mocha.suite.emit('pre-require', globalThis, 'bundle', mocha);
  load();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} e2e test(s) failed`)) : resolve()));
  });
}
