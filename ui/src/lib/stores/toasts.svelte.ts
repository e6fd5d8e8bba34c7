// Short messages for the person: saved, exported, or what went wrong (read by screen readers).
import { messageOf } from "../ipc";

/** A button on a toast, e.g. "Show in folder" after an export. */
export type ToastAction = { label: string; run: () => void };

export type Toast = { id: number; text: string; kind: "info" | "error"; action?: ToastAction };

/** At most this many at once: the oldest give way. */
const MAX_SHOWN = 3;

class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;

  /** A toast with an action stays as long as an error: time to reach its button. */
  show(text: string, kind: Toast["kind"] = "info", action?: ToastAction) {
    const id = this.#next++;
    this.items = [...this.items, { id, text, kind, action }].slice(-MAX_SHOWN);
    setTimeout(() => this.dismiss(id), kind === "error" || action ? 8000 : 4000);
  }

  error(e: unknown) {
    this.show(messageOf(e), "error");
  }

  dismiss(id: number) {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
