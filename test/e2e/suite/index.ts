// extensionTestsPath of the run against the extension from source.
import { runMocha } from './mochaRunner';

export function run(): Promise<void> {
  return runMocha(() => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    require('./extension.test');
    // After the debug tests, which expect a window with no diagram open yet.
    require('./languageFeatures.test');
    require('./walkthrough.test');
    require('./why.test');
    require('./interop.test');
    /* eslint-enable @typescript-eslint/no-require-imports */
  });
}
