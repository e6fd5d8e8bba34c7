// The one way a screen loads what it shows: at once, again whenever what the query reads
// changes (its filters) or the data changes (app.changed()), and only the latest answer lands:
// an older one that arrives late is dropped, so a slow first load never overwrites a newer one.
import { messageOf, unwrap, type CommandResult } from "./ipc";
import { app } from "./stores/app.svelte";

/**
 * Call while a component initializes. `query` runs inside an effect: the state it reads is
 * what makes it run again.
 */
export function loadLatest<T>(
  query: () => Promise<CommandResult<T>>,
  on: { ok: (value: T) => void; error: (message: string) => void },
): void {
  let ticket = 0;
  $effect(() => {
    void app.dataVersion;
    const current = ++ticket;
    unwrap(query()).then(
      (value) => {
        if (current === ticket) on.ok(value);
      },
      (e: unknown) => {
        if (current === ticket) on.error(messageOf(e));
      },
    );
  });
}
