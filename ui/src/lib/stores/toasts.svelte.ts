// Short messages for the person: saved, exported, or what went wrong (read by screen readers).
import { messageOf } from "../ipc";

export type Toast = { id: number; text: string; kind: "info" | "error" };

/** At most this many at once: the oldest give way. */
const MAX_SHOWN = 3;

class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;

  show(text: string, kind: Toast["kind"] = "info") {
    const id = this.#next++;
    this.items = [...this.items, { id, text, kind }].slice(-MAX_SHOWN);
    setTimeout(() => this.dismiss(id), kind === "error" ? 8000 : 4000);
  }

  error(e: unknown) {
    this.show(messageOf(e), "error");
  }

  dismiss(id: number) {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
