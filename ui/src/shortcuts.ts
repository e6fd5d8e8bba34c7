// Global keyboard shortcuts: Ctrl/Cmd+N logs a call note, Ctrl/Cmd+K opens search.
import { dialogs } from "./lib/stores/dialogs.svelte";

export function shortcut(e: KeyboardEvent): boolean {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return false;
  const key = e.key.toLowerCase();
  if (key === "n") {
    dialogs.openNote();
    return true;
  }
  if (key === "k") {
    dialogs.openPalette();
    return true;
  }
  return false;
}
