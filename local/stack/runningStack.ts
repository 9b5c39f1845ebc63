import type { StackPorts } from './LocalStack';

/** What a running `npm start` tells other processes (tests, tools): written once it is up, removed when it stops. */
export interface RunningStack {
  pid: number;
  ports: StackPorts;
  functionKey: string;
  /** The Functions host and Azurite. */
  childPids: number[];
}

/** The file, in the stack's data folder, that holds a RunningStack. */
export const RUNNING_STACK_FILE = 'stack.json';
