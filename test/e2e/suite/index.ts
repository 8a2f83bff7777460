// extensionTestsPath of the run against the extension from source.
import { runMocha } from './mochaRunner';

export function run(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return runMocha(() => require('./extension.test'));
}
