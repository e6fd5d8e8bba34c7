// Showing a conflicting value as text, and turning merged text back into a value.
import type { Value } from "../../lib/bindings";

export function asText(value: Value): string {
  if (value === null) return "(empty)";
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, 2);
}

export function mergedValue(text: string): Value {
  return text;
}
