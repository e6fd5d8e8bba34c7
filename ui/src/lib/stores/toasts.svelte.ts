// Short messages for the person: saved, exported, or what went wrong (read by screen readers).
import { messageOf } from "../ipc";

export type Toast = { id: number; text: string; kind: "info" | "error" };

class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;

  show(text: string, kind: Toast["kind"] = "info") {
    const id = this.#next++;
    this.items = [...this.items, { id, text, kind }];
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
