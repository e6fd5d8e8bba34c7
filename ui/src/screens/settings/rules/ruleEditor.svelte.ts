// One rules table's changes: a row added or changed whole (putRule; a blank id adds it) or
// removed (removeRule). The core refuses a duplicate or a row still in use with a sentence; it
// is kept here to show by the table, and the rows are drawn again as they are stored.
import { commands, type R7ThresholdChange, type RuleRow, type RuleTable } from "../../../lib/bindings";
import { messageOf, unwrap } from "../../../lib/ipc";
import { app } from "../../../lib/stores/app.svelte";
import { rules } from "../../../lib/stores/rules.svelte";
import { toasts } from "../../../lib/stores/toasts.svelte";

export class RuleEditor {
  /** Why the last change was refused, until the next one. */
  error = $state<string | null>(null);
  /** Goes up after a refused change: the rows show the stored values again, not what was typed. */
  revision = $state(0);
  /** The add form is open. */
  adding = $state(false);

  readonly table: RuleTable;

  constructor(table: RuleTable) {
    this.table = table;
  }

  /**
   * Adds or changes the row `build` makes (it throws when what was typed does not read).
   * True when saved.
   */
  put(build: () => RuleRow, what: string): Promise<boolean> {
    return this.#run(() => unwrap(commands.putRule(build())), `Saved: ${what}`);
  }

  /**
   * Adds an R7 rule (a blank id) or changes its threshold, the amount as typed: the core reads
   * it, by its one rule of money.
   */
  setThreshold(change: R7ThresholdChange, what: string): Promise<boolean> {
    return this.#run(() => unwrap(commands.setR7Threshold(change)), `Saved: ${what}`);
  }

  remove(id: string, what: string): Promise<boolean> {
    return this.#run(() => unwrap(commands.removeRule(this.table, id)), `Removed: ${what}`);
  }

  async #run(action: () => Promise<unknown>, done: string): Promise<boolean> {
    this.error = null;
    try {
      await action();
    } catch (e) {
      this.error = messageOf(e);
      this.revision += 1;
      await rules.load().catch(() => undefined);
      return false;
    }
    toasts.show(done);
    app.changed();
    await rules.load().catch((e) => toasts.error(e));
    return true;
  }
}
