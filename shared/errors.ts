/**
 * One error hierarchy for the whole product, mapped to HTTP in one place (shared/http/problem.ts).
 * Messages are written for the client and never carry personal data.
 */
export type FieldError = { path: string; message: string };

export abstract class FrontDeskError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  /** A stable, short slug for the problem `type` URI. */
  abstract readonly slug: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends FrontDeskError {
  readonly status = 400;
  readonly title = 'Invalid request';
  readonly slug = 'validation-error';
  constructor(
    message: string,
    readonly errors: FieldError[],
  ) {
    super(message);
  }
}

export class UnauthorizedError extends FrontDeskError {
  readonly status = 401;
  readonly title = 'Unauthorized';
  readonly slug = 'unauthorized';
}

export class ForbiddenError extends FrontDeskError {
  readonly status = 403;
  readonly title = 'Forbidden';
  readonly slug = 'forbidden';
}

/** Not found, or not the caller's: the two look the same so that existence does not leak. */
export class NotFoundError extends FrontDeskError {
  readonly status = 404;
  readonly title = 'Not found';
  readonly slug = 'not-found';
}

/**
 * 404 for a team that held a case and lost it because the client's consent no longer covers it: the
 * team knew of the case (it got `case.withdrawn`), so it is told why instead of a bare "not found".
 */
export class ConsentWithdrawnError extends FrontDeskError {
  readonly status = 404;
  readonly title = 'Not found';
  readonly slug = 'consent-withdrawn';
}

export class ConflictError extends FrontDeskError {
  readonly status = 409;
  readonly title = 'Conflict';
  readonly slug = 'conflict';
}

export class PayloadTooLargeError extends FrontDeskError {
  readonly status = 413;
  readonly title = 'Payload too large';
  readonly slug = 'payload-too-large';
}

export class UnsupportedMediaTypeError extends FrontDeskError {
  readonly status = 415;
  readonly title = 'Unsupported media type';
  readonly slug = 'unsupported-media-type';
}
