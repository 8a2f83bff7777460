// What the application is told when a call fails: RFC 9293's words (the trace's `error`) and the
// errno Linux returns for the same thing (`errno`), so that `expect NAME CALL failed ERR` can be
// written either way. The errno is chosen where the error is decided; this module only names them.

/** The errnos the engine reports, with Linux's strerror text. */
export const ERRNOS = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ETIMEDOUT: 'Connection timed out',
  EPIPE: 'Broken pipe',
  ENOTCONN: 'Transport endpoint is not connected',
  EISCONN: 'Transport endpoint is already connected',
  EALREADY: 'Operation already in progress',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EBADF: 'Bad file descriptor',
  EINVAL: 'Invalid argument',
} as const;

export type Errno = keyof typeof ERRNOS;

/** The error texts the engine reports (RFC 9293 3.10's words, and its own for a give-up). */
export const RFC_ERRORS = [
  'connection does not exist',
  'connection closing',
  'connection already exists',
  'connection refused',
  'connection reset',
  'connection timed out',
  'connection aborted due to user timeout',
  'cannot connect to itself',
] as const;

export type RfcError = (typeof RFC_ERRORS)[number];

/** The calls whose result `expect NAME CALL ok|failed` can check. */
export const CHECKED_CALLS = ['listen', 'connect', 'send', 'receive', 'close', 'shutdown', 'abort'] as const;
