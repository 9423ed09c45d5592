/** A refusal the sandbox answers with DESIGN.md's error shape: `{error_code, message}`. */
export class SandboxError extends Error {
  override readonly name = "SandboxError";
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error_code: string;
  message: string;
}

export const validationError = (message: string) => new SandboxError(400, "API_VALIDATION_ERROR", message);
