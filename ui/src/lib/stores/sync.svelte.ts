// Sync as the status bar and Settings show it; follows the shell's background sync events.
import { commands, events, type SyncOverview } from "../bindings";
import { unwrap } from "../ipc";
import { app } from "./app.svelte";

class SyncStore {
  overview = $state<SyncOverview | null>(null);
  lastError = $state<string | null>(null);
  busy = $state(false);

  async refresh() {
    this.overview = await unwrap(commands.syncOverview());
    this.lastError = this.overview.status.last_error;
  }

  async syncNow() {
    this.busy = true;
    try {
      await unwrap(commands.syncNow());
    } finally {
      this.busy = false;
    }
  }

  /** Follows background sync; returns a function that stops following. */
  async follow(): Promise<() => void> {
    const stopSync = await events.syncFinished.listen((e) => {
      this.lastError = e.payload.error;
      void this.refresh();
    });
    // Resumed after the status bar first asked (the keyring is read off the main thread):
    // signed in from now on, though the first sync may take a while.
    const stopStarted = await events.syncStarted.listen(() => void this.refresh());
    const stopData = await events.dataChanged.listen(() => app.changed());
    const online = () => {
      if (this.overview?.running) void this.syncNow().catch(() => undefined);
    };
    window.addEventListener("online", online);
    return () => {
      stopSync();
      stopStarted();
      stopData();
      window.removeEventListener("online", online);
    };
  }
}

export const sync = new SyncStore();
