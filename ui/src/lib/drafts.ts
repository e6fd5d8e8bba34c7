// Drafts persist as you type: each change is saved (debounced) in the local database, so a
// quit or a crash mid-note loses nothing; the draft is discarded once the record is saved.
import { commands } from "./bindings";
import { unwrap } from "./ipc";

export const DRAFT_DELAY_MS = 250;

export type Draft<T> = {
  load(): Promise<T | null>;
  save(value: T): void;
  flush(): Promise<void>;
  discard(): Promise<void>;
};

/** "saving" from the first keystroke until the last one is stored, then "saved". */
export type DraftState = "saving" | "saved";

export function draft<T>(
  key: string,
  onState: (state: DraftState) => void = () => undefined,
  delay = DRAFT_DELAY_MS,
): Draft<T> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: T | null = null;
  let writing: Promise<unknown> = Promise.resolve();

  const write = () => {
    timer = null;
    if (pending === null) return writing;
    const body = JSON.stringify(pending);
    pending = null;
    writing = writing
      .then(() => unwrap(commands.saveDraft(key, body)))
      .then(() => {
        if (timer === null && pending === null) onState("saved");
      })
      .catch(() => undefined);
    return writing;
  };

  return {
    async load() {
      const saved = await unwrap(commands.getDraft(key));
      if (!saved) return null;
      try {
        return JSON.parse(saved.body) as T;
      } catch {
        return null;
      }
    },
    save(value: T) {
      pending = value;
      onState("saving");
      if (timer) clearTimeout(timer);
      timer = setTimeout(write, delay);
    },
    async flush() {
      if (timer) clearTimeout(timer);
      await write();
    },
    async discard() {
      if (timer) clearTimeout(timer);
      timer = null;
      pending = null;
      await writing;
      await unwrap(commands.discardDraft(key));
    },
  };
}
