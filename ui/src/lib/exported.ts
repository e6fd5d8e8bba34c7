// After an export: where the file went, and "Show in folder" to find it in the file manager.
import { commands } from "./bindings";
import { unwrap } from "./ipc";
import { toasts } from "./stores/toasts.svelte";

/** Tells the person `message` (which names `path`) with a "Show in folder" button. */
export function toastExported(message: string, path: string) {
  toasts.show(message, "info", {
    label: "Show in folder",
    run: () => void unwrap(commands.showInFolder(path)).catch((e: unknown) => toasts.error(e)),
  });
}
