/** Why the local runtime cannot start; `start.ts` prints the message alone, without a stack trace. */
export class LocalRuntimeError extends Error {
  override name = 'LocalRuntimeError';
}

export class JavaMissingError extends LocalRuntimeError {
  override name = 'JavaMissingError';
}

export class PortInUseError extends LocalRuntimeError {
  override name = 'PortInUseError';
  constructor(
    readonly port: number,
    /** What wanted the port, e.g. "the API". */
    readonly what: string,
    /** The environment variable that moves it, e.g. "PORT". */
    readonly variable: string,
    hint = '',
  ) {
    super(
      `Port ${port} (${what}) is already in use.${hint} Stop whatever listens there, ` +
        `or start on another port: ${variable}=<port> npm start`,
    );
  }
}
