// The one place the UI reads command results and errors (see src-tauri/src/error.rs): a
// command answers {status: "ok", data} or {status: "error", error: {code, message}}.
import type { AppError } from "./bindings";

export type CommandResult<T> = { status: "ok"; data: T } | { status: "error"; error: AppError };

/** An error a command returned, with its stable code. */
export class IpcError extends Error {
  readonly code: AppError["code"];

  constructor(error: AppError) {
    super(error.message);
    this.code = error.code;
  }
}

function isAppError(value: unknown): value is AppError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/** The command's data, or throws an IpcError (or, for a framework failure, an Error). */
export async function unwrap<T>(pending: Promise<CommandResult<T>>): Promise<T> {
  const result = await pending;
  if (result.status === "ok") return result.data;
  const error: unknown = result.error;
  if (isAppError(error)) throw new IpcError(error);
  throw new Error(typeof error === "string" ? error : "the app could not run that command");
}

/** A sentence for the person. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (isAppError(e)) return e.message;
  return String(e);
}

/** The error's code when it came from a command. */
export function codeOf(e: unknown): AppError["code"] | null {
  return e instanceof IpcError ? e.code : null;
}
