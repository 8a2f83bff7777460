// The engine's public surface: pure, no I/O.
export type * from './api';
export type * from './program';
export type * from './trace';
export { FLAG_ORDER, flagLabel, TCP_STATES } from './trace';
export { PROFILES as profiles, resolveSettings } from './profile';
export { RULES, rulesOf, type RuleId } from './rules';
export { seqAdd, seqDiff, seqGe, seqGt, seqInWindow, seqLe, seqLt, seqMax, seqMin, SEQ_SPACE } from './seq';
export { MAX_ACTIONS_PER_INSTANT, MAX_EVENTS, runProgram, RUN_CAP_AFTER_LAST_STATEMENT, Simulation, traceDocumentOf } from './simulation';
export { describePattern } from './expectations';
export { describeWait } from './waits';
export { describeNext } from './expectNext';
export { ERRNOS, RFC_ERRORS, CHECKED_CALLS, type Errno } from './errno';
