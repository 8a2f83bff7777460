// extensionTestsPath of the run against the packaged .vsix installed with --install-extension.
import { runMocha } from './mochaRunner';

export function run(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return runMocha(() => require('./installed.test'));
}
